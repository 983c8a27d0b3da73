// Prints one closing line for the whole suite from the Jest JSON report and the
// TAP output of node's test runner: "tests: N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

const [jestReport, tapReport] = process.argv.slice(2);
let passed = 0;
let failed = 0;

if (jestReport && existsSync(jestReport)) {
  const jest = JSON.parse(readFileSync(jestReport, 'utf8'));
  passed += jest.numPassedTests;
  failed += jest.numFailedTests;
  // A suite that fails to load has no tests to count, but it is a failure.
  failed += jest.numRuntimeErrorTestSuites ?? 0;
} else {
  failed += 1;
}

if (tapReport && existsSync(tapReport)) {
  const tap = readFileSync(tapReport, 'utf8');
  passed += Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  failed += Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 1);
} else {
  failed += 1;
}

console.log(`tests: ${passed} passed, ${failed} failed`);
