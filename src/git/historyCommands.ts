/**
 * Git commands that read history, each as data with a pure parser: the scans of `stats`,
 * `export` and `import`, and what critical paths need (policy history, the author, `check`).
 * The commands of the hooks, notes and blame are in commands.ts.
 */
import type { Trailer } from '../core/commit/trailers';
import { parseNotesList } from './commands';
import type { GitCommand } from './runner';

// ---- Stats, export and import (history scans) ----------------------------------------------

/**
 * Options of history scans that make `--numstat` independent of the user's configuration:
 * renames on (a renamed file adds only its changed lines), no textconv or external diff, no
 * signature output, root commits diffed against nothing.
 */
const scanOptions = ['-z', '--numstat', '-M', '--no-textconv', '--no-ext-diff', '--no-color', '--no-show-signature', '--no-relative', '--root', '--date=short'];

/**
 * `git log --numstat` of revisions (default HEAD) in the format of src/core/report/stats.ts: every
 * commit with its added lines per file, in one process. `--end-of-options`: a revision can
 * never be taken for an option.
 */
export function logNumstat(format: string, revs: readonly string[]): GitCommand<string> {
  return { args: ['log', ...scanOptions, `--format=${format}`, '--end-of-options', ...(revs.length > 0 ? revs : ['HEAD']), '--'], parse: (stdout) => stdout };
}

/**
 * The same log for given commits (read from stdin, in the order given, no walk). Commits that
 * are not in the repository (a note can outlive its commit) are skipped, not an error.
 */
export function logNumstatOf(format: string, commits: readonly string[]): GitCommand<string> {
  return { args: ['log', ...scanOptions, `--format=${format}`, '--no-walk=unsorted', '--ignore-missing', '--stdin'], input: commits.map((c) => c + '\n').join(''), parse: (stdout) => stdout };
}

/** Commits of revisions (default HEAD), oldest first, with their committer time (epoch seconds). */
export function logCommits(revs: readonly string[]): GitCommand<Array<{ commit: string; time: number }>> {
  return {
    args: ['log', '--reverse', '--format=%H %ct', '--end-of-options', ...(revs.length > 0 ? revs : ['HEAD']), '--'],
    parse: (stdout) =>
      stdout.split('\n').flatMap((l) => {
        const [commit, time] = l.trim().split(' ');
        return commit && time ? [{ commit, time: Number(time) }] : [];
      }),
  };
}

/** `git notes --ref <ref> list`: note blob by annotated commit, for any notes ref. */
export function notesListOf(ref: string): GitCommand<Map<string, string>> {
  return { args: ['notes', '--ref', ref, 'list'], parse: parseNotesList };
}

/** `git rev-parse -q --verify <ref>`: the commit a ref points to, undefined when it does not exist. */
export function refTarget(ref: string): GitCommand<string | undefined> {
  return { args: ['rev-parse', '-q', '--verify', `${ref}^{commit}`], okExitCodes: [1], parse: (stdout) => stdout.trim() || undefined };
}

/** `git var GIT_COMMITTER_IDENT`: `Name <email> <time> <tz>` as git would commit now. */
export function committerIdent(): GitCommand<string> {
  return { args: ['var', 'GIT_COMMITTER_IDENT'], parse: (stdout) => stdout.trim() };
}

/**
 * `git fast-import` of a stream (e.g. many notes in one commit on a notes ref). `--quiet`, and
 * without `--force`: a ref that moved meanwhile makes it fail rather than lose notes.
 */
export function fastImport(stream: string): GitCommand<void> {
  return { args: ['fast-import', '--quiet', '--done'], input: stream, parse: () => undefined };
}

// ---- Critical paths: policy history, the author, `check` -----------------------------------

/** `git var GIT_AUTHOR_IDENT`: `Name <email> <time> <tz>` of the commit being made (hooks see `--author`). */
export function authorIdent(): GitCommand<string> {
  return { args: ['var', 'GIT_AUTHOR_IDENT'], parse: (stdout) => stdout.trim() };
}

/**
 * `git log -n <max> --format=%H <rev> -- <path>`: the newest commits of `rev`'s history that
 * changed `path`, newest first.
 */
export function pathHistory(rev: string, relPath: string, max: number): GitCommand<string[]> {
  return {
    args: ['log', '--no-show-signature', `-n${max}`, '--format=%H', '--end-of-options', rev, '--', relPath],
    parse: (stdout) => stdout.split('\n').map((l) => l.trim()).filter((l) => /^[0-9a-f]{40,64}$/.test(l)),
  };
}

/** One commit as `git provenance check` reads it. */
export interface CheckCommit {
  readonly commit: string;
  readonly parents: readonly string[];
  /** `Name <email>` of the author. */
  readonly author: string;
  /** `Name <email>` of the committer (never a reviewer when they ran the agent). */
  readonly committer: string;
  readonly message: string;
}

/**
 * `git log --reverse` of revisions, oldest first, with parents, author and raw message, in one
 * process; `maxCount` limits it to the newest commits as `git log -<n>` does.
 */
export function checkLog(revs: readonly string[], maxCount?: number): GitCommand<CheckCommit[]> {
  return {
    args: ['log', '--reverse', '--no-show-signature', '--no-color', '--format=%x1e%H%x00%P%x00%an <%ae>%x00%cn <%ce>%x00%B', ...(maxCount !== undefined ? [`-n${maxCount}`] : []), '--end-of-options', ...revs, '--'],
    parse: parseCheckLog,
  };
}

/** Parses {@link checkLog}'s output. */
export function parseCheckLog(stdout: string): CheckCommit[] {
  const out: CheckCommit[] = [];
  for (const chunk of stdout.split('\x1e')) {
    const [commit, parents, author, committer, ...rest] = chunk.split('\0');
    if (!commit || !/^[0-9a-f]{40,64}$/.test(commit.trim())) continue;
    const message = rest.join('\0').replace(/\n$/, '');
    out.push({ commit: commit.trim(), parents: (parents ?? '').split(' ').filter((p) => p.length > 0), author: author ?? '', committer: committer ?? '', message });
  }
  return out;
}

/**
 * `git log --no-walk` of given commits (in any order) with parents, author and raw message, in
 * one process: what their messages say, for commits that have no note.
 */
export function commitMessages(commits: readonly string[]): GitCommand<CheckCommit[]> {
  return {
    // The same fields as checkLog's, so that one parser reads both.
    args: ['log', '--no-walk=unsorted', '--no-show-signature', '--no-color', '--format=%x1e%H%x00%P%x00%an <%ae>%x00%cn <%ce>%x00%B', '--stdin'],
    input: commits.join('\n') + '\n',
    parse: parseCheckLog,
  };
}

/** `git show --stat --format=fuller <commit>`: a commit's header, message and files, for reading. */
export function showCommitStat(commit: string): GitCommand<string> {
  return { args: ['show', '--stat', '--format=fuller', '--no-color', '--no-ext-diff', '--end-of-options', commit, '--'], parse: (stdout) => stdout };
}

/**
 * `git interpret-trailers --in-place --if-exists add`: adds trailers whatever the message holds.
 * Not `replace`: git matches trailer keys by prefix, so replacing `AI-Critical` would replace an
 * `AI-Critical-Override` line too (callers remove their stale lines themselves).
 */
export function addTrailers(file: string, trailers: readonly Trailer[], commentChar?: string): GitCommand<void> {
  return {
    args: [
      ...(commentChar ? ['-c', `core.commentChar=${commentChar}`] : []),
      'interpret-trailers',
      '--in-place',
      '--no-divider',
      '--where',
      'end',
      '--if-exists',
      'add',
      ...trailers.flatMap((t) => ['--trailer', `${t.key}: ${t.value}`]),
      file,
    ],
    parse: () => undefined,
  };
}
