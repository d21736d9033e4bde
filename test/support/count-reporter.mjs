// node:test reporter that only counts outcomes, so test/run-all.mjs can add up every suite.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type === 'test:pass') {
      // Suites (describe) report too; count leaf tests only.
      if (event.data.details?.type === 'suite') continue;
      if (event.data.skip || event.data.todo) counts.skipped++;
      else counts.passed++;
    } else if (event.type === 'test:fail') {
      if (event.data.details?.type === 'suite') continue;
      counts.failed++;
    }
  }
  yield JSON.stringify(counts) + '\n';
}
