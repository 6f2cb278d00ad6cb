// Prints one plain closing line, `wtr: N passed, N failed, N skipped`, that test/run.mjs sums,
// preceded by the skipped tests of this run (`skipped in <engine>: file › suite › test`), so
// every engine-specific skip shows up in the log together with the reason in its title.
function count(suite, acc, file, path = []) {
  if (!suite) return acc;
  for (const t of suite.tests) {
    if (t.skipped) { acc.skipped++; acc.skippedNames.push([file, ...path, t.name].join(' › ')); }
    else if (t.passed) acc.passed++;
    else acc.failed++;
  }
  for (const child of suite.suites) count(child, acc, file, [...path, child.name]);
  return acc;
}

export function summaryReporter(engine = 'chromium') {
  return {
    stop({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0, skippedNames: [] };
      for (const s of sessions) {
        const before = acc.failed;
        count(s.testResults, acc, s.testFile.replace(`${process.cwd()}/`, ''));
        // A file that failed to load has no test results: count it once as a failure.
        if (s.passed === false && acc.failed === before) acc.failed++;
      }
      // stop() runs before wtr prints its own final block, so print at exit to be last.
      process.once('exit', () => {
        for (const name of acc.skippedNames) console.log(`skipped in ${engine}: ${name}`);
        console.log(`wtr: ${acc.passed} passed, ${acc.failed} failed, ${acc.skipped} skipped`);
      });
    },
  };
}
