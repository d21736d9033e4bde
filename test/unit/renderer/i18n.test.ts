import { test } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../../../renderer/i18n/en.ts';
import { zhCN } from '../../../renderer/i18n/zh-CN.ts';
import { matchLocale, translate } from '../../../renderer/i18n/index.ts';

test('the OS language picks the catalog: Chinese (China/Singapore/Hans) gets zh-CN, others English', () => {
  assert.equal(matchLocale(['zh-CN', 'en-US']), 'zh-CN');
  assert.equal(matchLocale(['zh-Hans-CN']), 'zh-CN');
  assert.equal(matchLocale(['zh']), 'zh-CN');
  assert.equal(matchLocale(['en-GB', 'zh-CN']), 'en');
  assert.equal(matchLocale(['de-DE']), 'en');
  assert.equal(matchLocale([]), 'en');
});

test('both catalogs have the same keys and no empty strings', () => {
  assert.deepEqual(Object.keys(zhCN).sort(), Object.keys(en).sort());
  for (const [k, v] of Object.entries(zhCN)) assert.ok(v.trim().length > 0, `zh-CN ${k} is empty`);
  for (const [k, v] of Object.entries(en)) assert.ok(v.trim().length > 0, `en ${k} is empty`);
});

test('placeholders are the same in both languages', () => {
  const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const k of Object.keys(en) as (keyof typeof en)[]) assert.deepEqual(names(zhCN[k]), names(en[k]), `placeholders of ${k}`);
});

test('translate fills placeholders and leaves unknown ones', () => {
  assert.equal(translate('en', 'app.views'), 'Views');
  assert.equal(translate('zh-CN', 'app.views'), '视图');
  const key = Object.keys(en).find((k) => en[k as keyof typeof en].includes('{'));
  if (key) assert.ok(!translate('en', key as keyof typeof en, { count: 3, n: 3, name: 'x' }).includes('{count}'));
});
