/**
 * One `git cat-file --batch` for reads that many concurrent tasks ask for: a rewrite hook
 * attributes hundreds of commits at once, each wanting a few blobs, and a git start costs more
 * than the reading.
 */
import { catFileBatch } from './commands';
import { runGit } from './runner';

/** Reads objects' texts (`<rev>:<path>` specs), as {@link catFileBatch}. */
export type TextReader = (specs: readonly string[]) => Promise<Map<string, string | undefined>>;

interface Waiting {
  readonly specs: readonly string[];
  readonly resolve: (texts: Map<string, string | undefined>) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * A {@link TextReader} that gathers the requests made until the event loop turns (callers
 * started together with `Promise.all` all ask before that) and answers them from one
 * `cat-file --batch`.
 */
export function batchedTextReader(cwd: string): TextReader {
  let waiting: Waiting[] = [];
  const flush = (): void => {
    const batch = waiting;
    waiting = [];
    const specs = [...new Set(batch.flatMap((w) => w.specs))];
    runGit(cwd, catFileBatch(specs)).then(
      (texts) => {
        for (const w of batch) w.resolve(new Map(w.specs.map((s) => [s, texts.get(s)])));
      },
      (e: unknown) => {
        for (const w of batch) w.reject(e);
      },
    );
  };
  return (specs) =>
    new Promise((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ specs, resolve, reject });
    });
}
