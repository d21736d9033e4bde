// Simplified Chinese UI strings. Same keys as en.ts: tsc fails when one is missing.
// Terms follow the Chinese Wireshark translation where it has one (数据包, 显示过滤器, 追踪流).

import type { MessageKey } from './en.ts';

export const zhCN: Record<MessageKey, string> = {
  // ---- shell ----
  'app.language': '语言',
  'app.views': '视图',
  'app.closeView': '关闭',
  // ---- END (new sections above) ----
};
