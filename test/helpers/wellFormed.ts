/**
 * A small well-formedness checker for the SVG and HTML the report writes, shared by the chart and
 * report tests. It lives here, not in a test file: a test file imported by another registers its
 * suites again in whichever parallel worker loads the importer, so they ran twice or once by
 * chance.
 */

/**
 * Checks that `xml` is well-formed: tags nest and close, attribute values are quoted, no bare
 * `<` or `&` in text. Returns the element names in document order.
 */
export function wellFormed(xml: string): string[] {
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  const stack: string[] = [];
  const names: string[] = [];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    const amp = /&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)/.exec(text);
    if (amp) throw new Error(`bare & at ${i + amp.index}: ${text.slice(amp.index, amp.index + 20)}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 60)}`);
    const [, close, name, , self] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}> at ${lt}`);
    } else {
      names.push(name!);
      if (!self) stack.push(name!);
    }
    i = lt + m[0].length;
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(' > ')}`);
  return names;
}
