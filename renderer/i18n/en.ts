// English UI strings: the reference catalog. Every key here must exist in zh-CN.ts (tsc checks).
// Keys are grouped by view; add a view's keys in its own section, above the END marker.
// `{name}` placeholders are filled by t(key, {name: value}).

export const en = {
  // ---- shell ----
  'app.language': 'Language',
  'app.views': 'Views',
  'app.closeView': 'Close',
  // ---- END (new sections above) ----
} as const;

export type MessageKey = keyof typeof en;
