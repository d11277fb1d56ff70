// A vitest reporter that writes {passed, failed, neverRan} to the file in MAILHIVE_TEST_COUNTS. A test that was meant
// to run but never did (its file could not load, or a beforeAll hook failed, e.g. a server that could not start) counts
// as failed: a suite that cannot start must not look like a few skipped tests.
import { writeFileSync } from 'node:fs';

export default class CountReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    const counts = { passed: 0, failed: 0, neverRan: 0, unhandledErrors: unhandledErrors.length };
    for (const module of testModules) {
      const moduleFailed = module.state() === 'failed';
      let tests = 0;
      for (const test of module.children.allTests()) {
        tests++;
        const { state } = test.result();
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else if (moduleFailed && test.options.mode === 'run') counts.neverRan++;
      }
      // A file that failed before any test was collected (a syntax or import error) counts as one failure.
      if (moduleFailed && tests === 0) counts.neverRan++;
    }
    if (process.env.MAILHIVE_TEST_COUNTS) writeFileSync(process.env.MAILHIVE_TEST_COUNTS, JSON.stringify(counts));
  }
}
