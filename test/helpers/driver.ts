/**
 * Client for the loopback driver that scripts/runVscodeTests.mjs serves next to the browser
 * window. Tests inside the extension host use it for what the extension API cannot do: press
 * real keys, so that a Tab goes through VS Code's own keybinding resolution (the path the
 * inline-accept capture depends on), and look at what the user sees in the DOM.
 *
 * Only the code-server runner has a browser to drive; under @vscode/test-electron
 * `driverAvailable()` is false and tests that need real keys should skip themselves.
 */

/** Routes the runner serves; each takes and returns a JSON object. */
type Route = '/press' | '/pressThenType' | '/keysDone' | '/measureKey' | '/setClipboard' | '/type' | '/click' | '/waitFor' | '/text' | '/screenshot';

/** Whether a browser driver is available in this run (AIP_TEST_DRIVER is set by the runner). */
export function driverAvailable(): boolean {
  return Boolean(process.env.AIP_TEST_DRIVER);
}

/** Presses one key or chord in the window, e.g. `Tab`, `Escape`, `Control+ArrowRight` (Playwright names). */
export async function press(key: string): Promise<void> {
  await call('/press', { key });
}

/**
 * Presses `key` and at once types `text`, with no round trip between (a fast typist after
 * Tab). With `afterMs`, returns at once and presses the keys that long later, so the caller
 * can keep its own thread busy meanwhile; {@link keysDone} waits for them.
 */
export async function pressThenType(key: string, text: string, afterMs?: number): Promise<void> {
  await call('/pressThenType', afterMs === undefined ? { key, text } : { key, text, afterMs });
}

/**
 * Presses `key` and returns the milliseconds from its keydown until the editor shows `text`
 * with no ghost text left, timed in the page; null when that did not happen within `timeoutMs`.
 */
export async function measureKey(key: string, text: string, timeoutMs = 10_000): Promise<number | null> {
  const out = await call('/measureKey', { key, text, timeout: timeoutMs });
  if (out.ms !== null && typeof out.ms !== 'number') throw new Error(`driver /measureKey answered without "ms": ${JSON.stringify(out)}`);
  return out.ms;
}

/** Puts `text` on the browser's clipboard, as another application would. */
export async function setClipboard(text: string): Promise<void> {
  await call('/setClipboard', { text });
}

/** Waits until the keys {@link pressThenType} scheduled were pressed. */
export async function keysDone(): Promise<void> {
  await call('/keysDone', {});
}

/** Types text key by key into whatever has focus, `delayMs` between keys (default 0). */
export async function type(text: string, delayMs?: number): Promise<void> {
  await call('/type', delayMs === undefined ? { text } : { text, delay: delayMs });
}

/** Clicks the first element matching a CSS selector, e.g. `.view-lines` to focus the editor. */
export async function click(selector: string): Promise<void> {
  await call('/click', { selector });
}

/** Waits until an element matching the selector is visible; false if it is not within `timeoutMs`. */
export async function waitFor(selector: string, timeoutMs: number): Promise<boolean> {
  const out = await call('/waitFor', { selector, timeout: timeoutMs });
  if (typeof out.found !== 'boolean') throw new Error(`driver /waitFor answered without "found": ${JSON.stringify(out)}`);
  return out.found;
}

/** The rendered text (innerText) of every element matching the selector, in document order. */
export async function domText(selector: string): Promise<string[]> {
  const out = await call('/text', { selector });
  const texts = out.texts;
  if (!Array.isArray(texts) || !texts.every((t): t is string => typeof t === 'string')) {
    throw new Error(`driver /text answered without "texts": ${JSON.stringify(out)}`);
  }
  return texts;
}

/** Saves a screenshot of the window as test-results/<mode>/<name>.png and returns its path. */
export async function screenshot(name: string): Promise<string> {
  const out = await call('/screenshot', { name });
  if (typeof out.path !== 'string') throw new Error(`driver /screenshot answered without "path": ${JSON.stringify(out)}`);
  return out.path;
}

async function call(route: Route, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const base = process.env.AIP_TEST_DRIVER;
  if (!base) {
    throw new Error(`driver ${route}: AIP_TEST_DRIVER is not set (no browser in this run); check driverAvailable() and skip`);
  }
  const res = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const out = isRecord(parsed) ? parsed : {};
  if (!res.ok) {
    const reason = typeof out.error === 'string' ? out.error : text;
    throw new Error(`driver ${route} ${JSON.stringify(body)} failed (${res.status}): ${reason}`);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
