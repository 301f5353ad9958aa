/**
 * A small XML well-formedness check for generated SVG and HTML fragments: tags nest and
 * close, attribute values are quoted and each name appears once, text holds no raw `<` or a
 * bare `&`, entities are the five XML ones or numeric. Returns the problems (none: well
 * formed) and the element names in document order, so tests can count elements.
 */
export interface XmlCheck {
  problems: string[];
  elements: { name: string; attrs: Record<string, string> }[];
}

const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(text: string, where: string, problems: string[]): void {
  const stripped = text.replace(ENTITY, '');
  if (stripped.includes('&')) problems.push(`a bare & ${where}: ${JSON.stringify(text.slice(0, 80))}`);
  if (stripped.includes('<')) problems.push(`a raw < ${where}`);
}

export function checkXml(source: string): XmlCheck {
  const problems: string[] = [];
  const elements: XmlCheck['elements'] = [];
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const textPart = source.slice(i, lt < 0 ? source.length : lt);
    checkText(textPart, `in the text of <${stack.at(-1) ?? 'document'}>`, problems);
    if (stack.length === 0 && textPart.trim() !== '' && roots > 0) problems.push('text after the root element');
    if (lt < 0) break;
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt);
      if (end < 0) {
        problems.push('an unclosed comment');
        break;
      }
      i = end + 3;
      continue;
    }
    if (source.startsWith('<!', lt) || source.startsWith('<?', lt)) {
      i = source.indexOf('>', lt) + 1;
      continue;
    }
    const gt = source.indexOf('>', lt);
    if (gt < 0) {
      problems.push('an unclosed tag');
      break;
    }
    const tag = source.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = /^\S+/.exec(body)?.[0] ?? '';
    if (!NAME.test(name)) problems.push(`a bad element name "${name}"`);
    const attrs: Record<string, string> = {};
    const rest = body.slice(name.length);
    const attrRe = /\s+([^\s=]+)="([^"]*)"/gy;
    let consumed = 0;
    let m: RegExpExecArray | null;
    while ((m = attrRe.exec(rest))) {
      consumed = attrRe.lastIndex;
      if (!NAME.test(m[1]!)) problems.push(`a bad attribute name "${m[1]}" on <${name}>`);
      if (m[1]! in attrs) problems.push(`attribute ${m[1]} twice on <${name}>`);
      checkText(m[2]!, `in ${name}@${m[1]}`, problems);
      attrs[m[1]!] = m[2]!;
    }
    if (rest.slice(consumed).trim() !== '')
      problems.push(`unparsed attributes on <${name}>: ${JSON.stringify(rest.slice(consumed).slice(0, 60))}`);
    if (stack.length === 0) roots++;
    elements.push({ name, attrs });
    if (!selfClosing) stack.push(name);
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return { problems, elements };
}
