// Prints one plain closing line, `wtr: N passed, N failed, N skipped`, that test/run.mjs sums.
function count(suite, acc) {
  if (!suite) return acc;
  for (const t of suite.tests) t.skipped ? acc.skipped++ : t.passed ? acc.passed++ : acc.failed++;
  for (const child of suite.suites) count(child, acc);
  return acc;
}

export function summaryReporter() {
  return {
    stop({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const s of sessions) {
        const before = acc.failed;
        count(s.testResults, acc);
        // A file that failed to load has no test results: count it once as a failure.
        if (s.passed === false && acc.failed === before) acc.failed++;
      }
      // stop() runs before wtr prints its own final block, so print at exit to be last.
      process.once('exit', () => console.log(`wtr: ${acc.passed} passed, ${acc.failed} failed, ${acc.skipped} skipped`));
    },
  };
}
