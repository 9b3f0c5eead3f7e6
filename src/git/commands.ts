/**
 * Git commands this project runs, each as data with a pure parser.
 */
import * as path from 'node:path';
import type { CommitPatch, FilePatch } from '../core/commit/patch';
import { parseCommitPatches, parseZeroContextPatch, unquote } from '../core/commit/patch';
import type { Trailer } from '../core/commit/trailers';
import { trailerKeys } from '../core/commit/trailers';
import type { GitCommand } from './runner';

/** Where a worktree lives and where its ledger goes. */
export interface RepoInfo {
  /** The worktree's top-level folder. */
  readonly root: string;
  /** `git rev-parse --git-path ai-provenance`, absolute: per worktree, inside the git dir. */
  readonly ledgerDir: string;
  /** The git dir of this worktree. */
  readonly gitDir: string;
}

/** `git rev-parse` for the worktree root, the ledger folder and the git dir. */
export function repoInfo(cwd: string): GitCommand<RepoInfo> {
  return {
    args: ['rev-parse', '--show-toplevel', '--git-path', 'ai-provenance', '--absolute-git-dir'],
    parse: (stdout) => parseRepoInfo(stdout, cwd),
  };
}

/** Parses the three lines of {@link repoInfo}; `--git-path` may be relative to `cwd`. */
export function parseRepoInfo(stdout: string, cwd: string): RepoInfo {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length < 3) throw new Error(`unexpected rev-parse output: ${JSON.stringify(stdout)}`);
  const [root, ledger, gitDir] = lines as [string, string, string];
  return { root: path.resolve(root), ledgerDir: path.resolve(cwd, ledger), gitDir: path.resolve(gitDir) };
}

/** `git rev-parse --absolute-git-dir`: the git dir; works without a worktree (a bare repository). */
export function absoluteGitDir(): GitCommand<string> {
  return {
    args: ['rev-parse', '--absolute-git-dir'],
    parse: (stdout) => {
      const dir = stdout.trim();
      if (dir === '') throw new Error('unexpected rev-parse output: empty');
      return path.resolve(dir);
    },
  };
}

/** `git show <rev>:<path>`: a file as committed; fails when it is not in `rev`. */
export function showFile(rev: string, relPath: string): GitCommand<string> {
  return { args: ['show', `${rev}:${relPath}`], parse: (stdout) => stdout };
}

// ---- Commit hooks, trailers, notes and blame ------------------------------------------------

/** What a commit hook needs to know about the repository, from one `git rev-parse`. */
export interface HookRepo extends RepoInfo {
  /** The commit HEAD points to; undefined on an unborn branch (the first commit). */
  readonly head: string | undefined;
}

/** `git rev-parse` for the worktree, the ledger folder, the git dir and HEAD (if born). */
export function hookRepo(cwd: string): GitCommand<HookRepo> {
  return {
    args: ['rev-parse', '--show-toplevel', '--git-path', 'ai-provenance', '--absolute-git-dir', '--verify', '-q', 'HEAD^{commit}'],
    // Exit 1 with the first three lines printed: HEAD does not exist yet.
    okExitCodes: [1],
    parse: (stdout) => parseHookRepo(stdout, cwd),
  };
}

/** Parses {@link hookRepo}: three paths and, when HEAD exists, its commit id. */
export function parseHookRepo(stdout: string, cwd: string): HookRepo {
  const info = parseRepoInfo(stdout, cwd);
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const head = lines[3];
  return { ...info, head: head && /^[0-9a-f]{40,64}$/.test(head) ? head : undefined };
}

/** `git write-tree`: the tree of the index (GIT_INDEX_FILE honoured), the one a commit being made gets. */
export function writeTree(): GitCommand<string> {
  return { args: ['write-tree'], parse: (stdout) => stdout.trim() };
}

/** `git rev-parse -q --verify <rev>^{commit}`: the commit id, or undefined when there is none. */
export function resolveCommit(rev: string): GitCommand<string | undefined> {
  return { args: ['rev-parse', '-q', '--verify', `${rev}^{commit}`], okExitCodes: [1], parse: (stdout) => stdout.trim() || undefined };
}

/** `git cat-file -t <spec>`: whether the object exists (a blob `cat-file --batch` gave as undefined may be binary, not missing). */
export function objectExists(spec: string): GitCommand<boolean> {
  return { args: ['cat-file', '-t', spec], okExitCodes: [128], parse: (stdout) => stdout.trim() !== '' };
}

/**
 * `git cat-file --batch-check`: which of `specs` name an object that exists, in one call (a
 * blob that {@link catFileBatch} gave as undefined may be there but not text).
 */
export function objectsExist(specs: readonly string[]): GitCommand<Set<string>> {
  const usable = specs.filter((s) => !s.includes('\n'));
  return {
    args: ['cat-file', '--batch-check'],
    input: usable.map((s) => s + '\n').join(''),
    parse: (stdout) => {
      // One line per spec, in order: "<id> <type> <size>", or "<spec> missing" / "<spec> ambiguous".
      const lines = stdout.split('\n');
      return new Set(usable.filter((s, i) => {
        const line = lines[i] ?? '';
        return line !== '' && line !== `${s} missing` && line !== `${s} ambiguous`;
      }));
    },
  };
}

/** The id of the empty tree in this repository's hash (sha1 or sha256). */
export function emptyTree(): GitCommand<string> {
  return { args: ['hash-object', '-t', 'tree', '--stdin'], input: '', parse: (stdout) => stdout.trim() };
}

/**
 * Options that make patch output independent of the user's diff configuration: fixed
 * prefixes, no colour, no external diff or textconv, unquoted non-ASCII paths, renames on.
 */
const patchOptions = ['-U0', '--full-index', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '-M', '--ignore-submodules'];

/**
 * `git diff --cached -U0 [<base>]`: the staged change, as lines added per file. Without a base
 * it compares with HEAD, or with nothing on an unborn branch.
 */
export function stagedPatch(base?: string): GitCommand<FilePatch[]> {
  return {
    args: ['-c', 'core.quotePath=false', 'diff', '--cached', ...patchOptions, ...(base ? [base] : []), '--'],
    parse: parseZeroContextPatch,
  };
}

/**
 * `git diff-tree -p -U0` of commits against their first parent (a root commit against
 * nothing), in one call: the lines each commit added.
 */
export function commitPatches(commits: readonly string[]): GitCommand<CommitPatch[]> {
  return {
    args: ['-c', 'core.quotePath=false', 'diff-tree', '--stdin', '-r', '-p', '--root', '--diff-merges=first-parent', ...patchOptions],
    input: commits.map((c) => c + '\n').join(''),
    parse: parseCommitPatches,
  };
}

/**
 * `git cat-file --batch`: the contents of many objects in one call (`HEAD:path`, `:path` for
 * the index, `<commit>:<path>`). Missing objects and binary blobs map to undefined, and so do
 * objects of another `type` (blobs by default).
 */
export function catFileBatch(specs: readonly string[], type: 'blob' | 'commit' = 'blob'): GitCommand<Map<string, string | undefined>> {
  const usable = specs.filter((s) => !s.includes('\n'));
  return {
    args: ['cat-file', '--batch'],
    input: usable.map((s) => s + '\n').join(''),
    parse: (stdout) => {
      const out = parseCatFileBatch(stdout, usable, type);
      for (const s of specs) if (!out.has(s)) out.set(s, undefined);
      return out;
    },
  };
}

/** The last line of a blob, and whether a line break ends the blob. */
export interface BlobTail {
  readonly lastLine: string;
  readonly broken: boolean;
}

/**
 * `git cat-file --batch` for the last line of each blob only (undefined: missing). The blobs
 * are read whole by git, but only their last line is decoded here.
 */
export function blobTails(specs: readonly string[]): GitCommand<Map<string, BlobTail | undefined>> {
  const usable = specs.filter((s) => !s.includes('\n'));
  const parseBytes = (stdout: Buffer): Map<string, BlobTail | undefined> => {
    const out = parseBlobTails(stdout, usable);
    for (const s of specs) if (!out.has(s)) out.set(s, undefined);
    return out;
  };
  return { args: ['cat-file', '--batch'], input: usable.map((s) => s + '\n').join(''), parse: (stdout) => parseBytes(Buffer.from(stdout, 'utf8')), parseBytes };
}

/** Parses `git cat-file --batch` output into the last line of each blob (see {@link blobTails}). */
export function parseBlobTails(buf: Buffer, specs: readonly string[]): Map<string, BlobTail | undefined> {
  const out = new Map<string, BlobTail | undefined>();
  let pos = 0;
  for (const spec of specs) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    const m = batchHeader.exec(buf.subarray(pos, nl).toString('utf8'));
    if (!m) {
      // "<spec> missing": no content follows.
      out.set(spec, undefined);
      pos = nl + 1;
      continue;
    }
    const start = nl + 1;
    const end = Math.min(buf.length, start + Number(m[3]));
    let contentEnd = end;
    const last = end > start ? buf[end - 1] : undefined;
    const broken = last === 0x0a || last === 0x0d;
    if (broken) contentEnd -= end - start >= 2 && buf[end - 2] === 0x0d && last === 0x0a ? 2 : 1;
    let lineStart = contentEnd;
    while (lineStart > start && buf[lineStart - 1] !== 0x0a && buf[lineStart - 1] !== 0x0d) lineStart--;
    out.set(spec, m[2] === 'blob' ? { lastLine: buf.subarray(lineStart, contentEnd).toString('utf8'), broken } : undefined);
    pos = end + 1;
  }
  return out;
}

const batchHeader = /^([0-9a-f]{40}|[0-9a-f]{64}) ([a-z]+) (\d+)$/;
const nextHeader = /\n(?:(?:[0-9a-f]{40}|[0-9a-f]{64}) [a-z]+ \d+|[^\n]* (?:missing|ambiguous))\n/;

/**
 * Parses `git cat-file --batch` output. Sizes are in bytes; the runner hands over text, so
 * the text is encoded back to bytes to cut it. A blob that was not valid UTF-8 does not
 * survive that round trip: its entry is undefined and parsing resumes at the next header.
 * Objects of another `type` than the one asked for (blobs by default) are undefined too.
 */
export function parseCatFileBatch(stdout: string, specs: readonly string[], type: 'blob' | 'commit' = 'blob'): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const buf = Buffer.from(stdout, 'utf8');
  let pos = 0;
  for (const spec of specs) {
    if (pos >= buf.length) {
      out.set(spec, undefined);
      continue;
    }
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    const header = buf.subarray(pos, nl).toString('utf8');
    const m = batchHeader.exec(header);
    if (!m) {
      out.set(spec, undefined);
      pos = nl + 1;
      continue;
    }
    const size = Number(m[3]);
    const end = nl + 1 + size;
    const content = buf.subarray(nl + 1, Math.min(end, buf.length)).toString('utf8');
    // U+FFFD means the blob was not UTF-8 and its byte length changed: resynchronise below.
    if (end < buf.length && buf[end] === 0x0a && !content.includes('\ufffd')) {
      const isText = m[2] === type && !content.includes('\0');
      out.set(spec, isText ? content : undefined);
      pos = end + 1;
      continue;
    }
    out.set(spec, undefined);
    const rest = buf.subarray(nl + 1).toString('utf8');
    const found = nextHeader.exec(rest);
    pos = found ? nl + 1 + Buffer.byteLength(rest.slice(0, found.index + 1), 'utf8') : buf.length;
  }
  return out;
}

/** A commit object: its parents and message. */
export interface CommitInfo {
  readonly parents: readonly string[];
  readonly message: string;
}

/** `git cat-file commit <rev>`. */
export function commitInfo(rev: string): GitCommand<CommitInfo> {
  return { args: ['cat-file', 'commit', rev], parse: parseCommitObject };
}

const notesArgs = ['notes', '--ref', 'refs/notes/ai-provenance'];

/**
 * Many commits' parents and messages through one `git cat-file --batch`, rather than a git a
 * commit: rewrite hooks read hundreds. A missing commit, or one whose text is not UTF-8, maps
 * to undefined (read it with {@link commitInfo}).
 */
export function commitInfos(revs: readonly string[]): GitCommand<Map<string, CommitInfo | undefined>> {
  const batch = catFileBatch(revs, 'commit');
  return {
    args: batch.args,
    input: batch.input ?? '',
    parse: (stdout) => new Map([...batch.parse(stdout)].map(([rev, raw]) => [rev, raw === undefined ? undefined : parseCommitObject(raw)])),
  };
}

/** `git var GIT_COMMITTER_IDENT`: who commits, as git writes it (`Name <email> <time> <zone>`). */
export function committerIdent(): GitCommand<string> {
  return { args: ['var', 'GIT_COMMITTER_IDENT'], parse: (stdout) => stdout.trim() };
}

/** The commit a ref points at; undefined when there is no such ref. */
export function refCommit(ref: string): GitCommand<string | undefined> {
  return { args: ['rev-parse', '-q', '--verify', `${ref}^{commit}`], okExitCodes: [1], parse: (stdout) => stdout.trim() || undefined };
}

/** Where one commit's note sits in a notes commit's tree, and its blob. */
export interface NotesTreeEntry {
  /** The note's path: the commit id split by the tree's fanout (`ab/cdef…`), which git chooses by its own rule and fast-import by another. */
  readonly path: string;
  readonly blob: string;
}

/**
 * `git ls-tree -r <notes-commit>`: each annotated commit's note in a notes commit's tree. Reads
 * notes no ref names yet too (those a push is bringing in).
 */
export function notesTree(notesCommit: string): GitCommand<Map<string, NotesTreeEntry>> {
  return {
    args: ['ls-tree', '-r', '-z', '--end-of-options', notesCommit],
    parse: (stdout) => {
      const out = new Map<string, NotesTreeEntry>();
      for (const entry of stdout.split('\0')) {
        const m = /^\d+ blob ([0-9a-f]{40,64})\t(.+)$/.exec(entry);
        if (!m) continue;
        const commit = m[2]!.replace(/\//g, '');
        if (/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(commit)) out.set(commit, { path: m[2]!, blob: m[1]! });
      }
      return out;
    },
  };
}

/**
 * `git fast-import` of one commit on our notes ref (on top of `parent`, its tip now) that sets
 * each of `notes` (note text by annotated commit): a rewrite's notes in one git call, where
 * `git notes add` takes one a note. A note replacing one at `existing` (its path, see {@link notesTree})
 * is written at that same path: fast-import's `N` looks for the old note only where its own
 * fanout rule puts it, which is not where git put it in a tree of a few dozen notes or more, and
 * two notes of one commit read back as their concatenation. fast-import refuses to move the ref
 * unless the new commit descends from its tip, so a note written meanwhile by another process
 * is never lost: the call fails instead.
 */
export function notesImport(notes: ReadonlyMap<string, string>, committer: string, parent: string | undefined, existing: ReadonlyMap<string, string> = new Map()): GitCommand<void> {
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const lines = [`commit ${notesArgs[2]}\n`, `committer ${committer}\n`, data(`Notes added by 'git provenance' (${notes.size})\n`)];
  if (parent) lines.push(`from ${parent}\n`);
  for (const [commit, text] of notes) {
    const at = existing.get(commit);
    lines.push(at !== undefined ? `M 100644 inline ${at}\n` : `N inline ${commit}\n`, data(text));
  }
  lines.push('done\n');
  return { args: ['fast-import', '--quiet', '--done'], input: lines.join(''), parse: () => undefined };
}

/** Parses a raw commit object: headers up to the first blank line, then the message. */
export function parseCommitObject(stdout: string): CommitInfo {
  const blank = stdout.indexOf('\n\n');
  const headers = blank < 0 ? stdout : stdout.slice(0, blank);
  const parents = headers.split('\n').filter((l) => l.startsWith('parent ')).map((l) => l.slice(7).trim());
  return { parents, message: blank < 0 ? '' : stdout.slice(blank + 2) };
}

/** `git notes show <rev>` on our ref: the note text, or undefined when the commit has none. */
export function notesShow(rev: string): GitCommand<string | undefined> {
  return { args: [...notesArgs, 'show', rev], okExitCodes: [1], parse: (stdout) => stdout || undefined };
}

/** `git notes add -f -F - <commit>` on our ref: replaces the commit's note. */
export function notesAdd(commit: string, text: string): GitCommand<void> {
  return { args: [...notesArgs, 'add', '-f', '-F', '-', commit], input: text, parse: () => undefined };
}

/** `git notes remove --ignore-missing <commit>` on our ref. */
export function notesRemove(commit: string): GitCommand<void> {
  return { args: [...notesArgs, 'remove', '--ignore-missing', commit], parse: () => undefined };
}

/** `git notes list` on our ref: note blob by annotated commit. */
export function notesList(): GitCommand<Map<string, string>> {
  return { args: [...notesArgs, 'list'], parse: parseNotesList };
}

/** Parses `git notes list` lines `<note blob> <commit>`. */
export function parseNotesList(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [blob, commit] = line.trim().split(/\s+/);
    if (blob && commit) out.set(commit, blob);
  }
  return out;
}

/** Remote-tracking copies of our notes ref (`refs/notes/remotes/<remote>/ai-provenance`). */
export function remoteNotesRefs(): GitCommand<string[]> {
  return {
    args: ['for-each-ref', '--format=%(refname)', 'refs/notes/remotes/'],
    parse: (stdout) => stdout.split('\n').map((l) => l.trim()).filter((l) => l.endsWith('/ai-provenance')),
  };
}

/**
 * `git notes merge -s cat_sort_uniq <ref>` into our ref. Records are one line each, so the
 * strategy keeps both sides' records of a commit and drops exact duplicates (and
 * src/git/notes.ts then combines two records of one commit into one).
 */
export function notesMerge(ref: string): GitCommand<void> {
  return { args: [...notesArgs, 'merge', '-q', '-s', 'cat_sort_uniq', ref], parse: () => undefined };
}

/**
 * `git interpret-trailers --in-place` adding trailers to a message file: Assisted-by only when
 * that exact line is not there yet (an agent may have written it), AI-Lines and AI-Provenance
 * replacing any line with their key. `--no-divider`: a "---" line in a message is text, not
 * the start of a patch.
 */
export function interpretTrailers(file: string, trailers: readonly Trailer[], commentChar?: string): GitCommand<void> {
  const args = [...(commentChar ? ['-c', `core.commentChar=${commentChar}`] : []), 'interpret-trailers', '--in-place', '--no-divider', '--where', 'end'];
  let mode = '';
  for (const t of trailers) {
    const want = t.key === trailerKeys.assistedBy ? 'addIfDifferent' : 'replace';
    if (want !== mode) args.push('--if-exists', want);
    mode = want;
    args.push('--trailer', `${t.key}: ${t.value}`);
  }
  args.push(file);
  return { args, parse: () => undefined };
}

/** One line of `git blame --porcelain`. */
export interface BlameLine {
  /** 1-based line in the blamed version. */
  readonly line: number;
  /** The commit that last changed the line; all zeros for a line not committed yet. */
  readonly commit: string;
  /** 1-based line number in that commit's version of the file. */
  readonly origLine: number;
  /** The file's path in that commit. */
  readonly path: string;
  readonly text: string;
  /** The version before that commit's change (git's `previous`): absent for a line the root commit added. */
  readonly previous?: { readonly commit: string; readonly path: string };
}

/** `git blame --porcelain [-L first,last] [<rev>] -- <path>`. */
export function blamePorcelain(relPath: string, rev?: string, lines?: readonly [first: number, last: number]): GitCommand<BlameLine[]> {
  return { args: ['blame', '--porcelain', ...(lines ? ['-L', `${lines[0]},${lines[1]}`] : []), ...(rev ? [rev] : []), '--', relPath], parse: parseBlamePorcelain };
}

/** Parses `git blame --porcelain` output. */
export function parseBlamePorcelain(stdout: string): BlameLine[] {
  const out: BlameLine[] = [];
  const pathOf = new Map<string, string>();
  // git prints a commit's headers once, with its first group of lines.
  const previousOf = new Map<string, { commit: string; path: string }>();
  let commit = '';
  let origLine = 0;
  let line = 0;
  let pathHere: string | undefined;
  for (const l of stdout.split('\n')) {
    if (l.startsWith('\t')) {
      const previous = previousOf.get(commit);
      const entry = { line, commit, origLine, path: pathHere ?? pathOf.get(commit) ?? '', text: l.slice(1) };
      out.push(previous ? { ...entry, previous } : entry);
      continue;
    }
    const m = /^([0-9a-f]{40}|[0-9a-f]{64}) (\d+) (\d+)(?: \d+)?$/.exec(l);
    if (m) {
      commit = m[1]!;
      origLine = Number(m[2]);
      line = Number(m[3]);
      pathHere = pathOf.get(commit);
    } else if (l.startsWith('filename ')) {
      pathHere = unquote(l.slice('filename '.length));
      pathOf.set(commit, pathHere);
    } else if (l.startsWith('previous ')) {
      const p = /^previous ([0-9a-f]{40}|[0-9a-f]{64}) (.*)$/.exec(l);
      if (p) previousOf.set(commit, { commit: p[1]!, path: unquote(p[2]!) });
    }
  }
  return out;
}

/** `git config --get-all <key>`: every value, none when unset. */
export function configGetAll(key: string): GitCommand<string[]> {
  return { args: ['config', '--get-all', key], okExitCodes: [1], parse: (stdout) => stdout.split('\n').filter((l) => l.length > 0) };
}

/** `git config --add <key> <value>` (for multi-valued keys such as notes.rewriteRef). */
export function configAdd(key: string, value: string): GitCommand<void> {
  return { args: ['config', '--add', key, value], parse: () => undefined };
}

/** `git config <key> <value>`. */
export function configSet(key: string, value: string): GitCommand<void> {
  return { args: ['config', key, value], parse: () => undefined };
}

/** `git config --unset-all <key> <regex>`: removes the values matching `^<value>$` only. */
export function configUnsetValue(key: string, value: string): GitCommand<void> {
  const regex = '^' + value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';
  // Exit 5: nothing matched, which is what we wanted anyway.
  return { args: ['config', '--unset-all', key, regex], okExitCodes: [5], parse: () => undefined };
}

/** Where hooks go and where the shared git dir is. */
export interface HooksLocation {
  /** The hooks folder git runs hooks from (core.hooksPath honoured), absolute. */
  readonly hooksDir: string;
  /** The git dir shared by all worktrees, absolute. */
  readonly commonDir: string;
  /** The worktree root, absolute. */
  readonly root: string;
}

/** `git rev-parse --git-path hooks --git-common-dir --show-toplevel`. */
export function hooksLocation(cwd: string): GitCommand<HooksLocation> {
  return {
    args: ['rev-parse', '--git-path', 'hooks', '--git-common-dir', '--show-toplevel'],
    parse: (stdout) => {
      const [hooks, common, root] = stdout.split('\n').map((l) => l.trim());
      if (!hooks || !common || !root) throw new Error(`unexpected rev-parse output: ${JSON.stringify(stdout)}`);
      return { hooksDir: path.resolve(cwd, hooks), commonDir: path.resolve(cwd, common), root: path.resolve(root) };
    },
  };
}

// ---- Sharing notes with a remote ----------------------------------------------------------

/** `git rev-list --count <ref> --not <others>`: how many commits of `ref` the others lack (0: merged). */
export function commitsNotIn(ref: string, others: readonly string[]): GitCommand<number> {
  return { args: ['rev-list', '--count', ref, '--not', ...others, '--'], parse: (stdout) => Number.parseInt(stdout.trim(), 10) || 0 };
}

/**
 * `git fetch <remote> +refs/notes/ai-provenance:<tracking ref>`: the remote's notes, forced into
 * the remote-tracking ref (ours is never touched). Fails when the remote has no notes yet.
 */
export function fetchNotes(remote: string, trackingRef: string): GitCommand<void> {
  return { args: ['fetch', '-q', '--no-write-fetch-head', remote, `+refs/notes/ai-provenance:${trackingRef}`], parse: () => undefined };
}

/**
 * `git push --no-verify <remote> refs/notes/ai-provenance`: our notes, as a fast-forward only
 * (never forced: a remote that moved meanwhile refuses, and nothing is lost). `--no-verify`
 * because the pre-push hook that runs this must not run itself again.
 */
export function pushNotes(remote: string): GitCommand<void> {
  return { args: ['push', '-q', '--no-verify', remote, 'refs/notes/ai-provenance:refs/notes/ai-provenance'], parse: () => undefined };
}

/**
 * `git log --no-walk` of commits with their `Assisted-by` and `AI-Provenance` trailer values:
 * the commits whose messages say AI helped (to tell a missing note from a commit without AI).
 */
export function aiTrailerCommits(commits: readonly string[]): GitCommand<string[]> {
  return {
    args: ['log', '--no-walk=unsorted', '--format=%H %(trailers:key=Assisted-by,key=AI-Provenance,valueonly,separator=%x2C)', '--stdin'],
    input: commits.join('\n') + '\n',
    parse: (stdout) => stdout.split('\n').map((l) => l.trim()).filter((l) => / ./.test(l)).map((l) => l.slice(0, l.indexOf(' '))),
  };
}

/** `git remote`: the names of the configured remotes. */
export function remoteNames(): GitCommand<string[]> {
  return { args: ['remote'], parse: (stdout) => stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0) };
}
