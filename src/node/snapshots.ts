/**
 * Pre-tool snapshots: the text of a file just before an agent's tool call, kept in
 * `<git-path ai-provenance>/snapshots/` so the post-tool hook can diff exactly this call's
 * change. One snapshot per file and agent session (the next call's pre event replaces it).
 *
 * A snapshot is only trusted for the call it was taken for: the same tool-use id when both
 * sides have one, else taken recently. After use it remembers the text it was used for, so a
 * second hook configuration reporting the same call gets the same answer, and a later call
 * whose pre event never fired does not diff against a stale text (that would credit the
 * agent with a person's typing).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** A snapshot older than this (with no tool-use id to match) belongs to some other call. */
const maxAgeMs = 30 * 60_000;
/** Snapshots left behind by calls whose post event never came are removed after this. */
const staleMs = 24 * 60 * 60_000;

interface StoredSnapshot {
  readonly v: 1;
  readonly rel: string;
  readonly session: string;
  readonly toolUseId: string | null;
  readonly time: number;
  readonly exists: boolean;
  readonly text: string;
  /** Hash of the post-call text this snapshot was used for. */
  readonly usedFor?: string;
}

function sha(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Reads and writes the snapshots of one worktree. */
export class SnapshotStore {
  /** @param dir `<git-path ai-provenance>/snapshots` */
  constructor(readonly dir: string) {}

  private fileOf(rel: string, session: string): string {
    return path.join(this.dir, sha(`${rel}\u0000${session}`).slice(0, 32) + '.json');
  }

  /** Saves the text of `rel` before a call; `text` null: the file does not exist yet. */
  async save(rel: string, session: string, toolUseId: string | undefined, now: number, text: string | null): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const snap: StoredSnapshot = { v: 1, rel, session, toolUseId: toolUseId ?? null, time: now, exists: text !== null, text: text ?? '' };
    const file = this.fileOf(rel, session);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(snap), 'utf8');
    await fs.rename(tmp, file);
    await this.sweep(now);
  }

  /**
   * The text of `rel` before this call (null: it did not exist), or undefined when no
   * snapshot belongs to this call. `post` is the file's text now.
   */
  async take(rel: string, session: string, toolUseId: string | undefined, now: number, post: string): Promise<string | null | undefined> {
    const file = this.fileOf(rel, session);
    let snap: StoredSnapshot;
    try {
      snap = JSON.parse(await fs.readFile(file, 'utf8')) as StoredSnapshot;
    } catch {
      return undefined;
    }
    if (snap.v !== 1 || snap.rel !== rel || snap.session !== session || typeof snap.text !== 'string') return undefined;
    const postHash = sha(post);
    if (snap.usedFor !== undefined) return snap.usedFor === postHash ? (snap.exists ? snap.text : null) : undefined;
    const sameCall = snap.toolUseId !== null && toolUseId !== undefined ? snap.toolUseId === toolUseId : now - snap.time <= maxAgeMs && now >= snap.time;
    if (!sameCall) return undefined;
    const used: StoredSnapshot = { ...snap, usedFor: postHash };
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(used), 'utf8');
    await fs.rename(tmp, file);
    return snap.exists ? snap.text : null;
  }

  /** Removes snapshots nobody came back for; cheap enough to run on each save. */
  private async sweep(now: number): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return;
    }
    if (names.length < 32) return;
    await Promise.all(
      names.map(async (n) => {
        const f = path.join(this.dir, n);
        try {
          const st = await fs.stat(f);
          if (now - st.mtimeMs > staleMs) await fs.rm(f, { force: true });
        } catch {
          // Another hook removed it first.
        }
      }),
    );
  }
}
