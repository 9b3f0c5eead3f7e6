// The unit and integration tests as `npm test` runs them: in parallel worker processes, longest
// files first, without the files of .mocharc.serial.json (they run alone afterwards).
//
// Why parallel: an integration test spends most of its time waiting for the git and node
// processes it starts, one after another, so one mocha process keeps about half a core busy.
// Why longest first: mocha hands files to its workers in the order given, and a long file
// started last keeps one worker busy while the others have nothing left to do.
// Jobs: AIP_TEST_JOBS, or 3: more workers than the 2 cores CI has, since each mostly waits (2 and
// 4 were not compared; on this shared machine the load of other work swamped such a comparison).
const fs = require('node:fs');
const path = require('node:path');

/**
 * The longest files, slowest first (measured in one process; cherryPick20, notedPicks and
 * writeNotes placed by their size). Only the first few matter; a file not listed runs after them.
 */
const longestFirst = [
  'integration/rebase50', 'integration/cherryPick20', 'integration/fuzz', 'integration/badInput',
  'integration/governanceAgreement', 'integration/notedPicks', 'integration/writeNotes',
  'integration/agentHooks', 'integration/gitlabTemplate', 'integration/trailers', 'integration/governance',
  'integration/agentSpool', 'integration/hostilePayloads', 'integration/preReceive', 'integration/rewrite',
  'integration/consolidate', 'integration/commitLevelEvidence', 'integration/stats', 'integration/githubAction',
];

const out = path.join(__dirname, 'out', 'test');
const serial = new Set(require('./.mocharc.serial.json').spec.map((f) => path.resolve(__dirname, f)));

/** Every compiled test file under `dir`, as paths relative to the project root. */
function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .filter((f) => !serial.has(f))
    .sort();
}

const all = [...testFiles(path.join(out, 'integration')), ...testFiles(path.join(out, 'unit'))];
const rank = (f) => {
  const at = longestFirst.indexOf(path.relative(out, f).replace(/\\/g, '/').replace(/\.test\.js$/, ''));
  return at < 0 ? longestFirst.length : at;
};

module.exports = {
  // A stable sort: the longest files first, then the other integration files, then the unit tests.
  spec: all.sort((a, b) => rank(a) - rank(b)).map((f) => path.relative(__dirname, f)),
  parallel: true,
  jobs: Number(process.env.AIP_TEST_JOBS) || 3,
  timeout: 60000,
  reporter: 'spec',
};
