// Text addressed to a model, wherever it is written (JS/TS): a literal that opens by telling a model who
// it is or what to do with the text it is given ("You are …", "Your task is …", "Summarize the following
// …", "Given the following …", "Below is …", a task on a placeholder: "Translate {} into Chinese", "Explain
// {{selection}} simply") or that asks for a reply format ("Respond in JSON …", "Return only the corrected
// text") is a heuristic candidate though no prompt-named variable holds it. Text meant for people is left out: the
// argument of a log, print, error or translation call, a thrown error, JSX, a UI property (label, title,
// placeholder, description), and any text in tests, fixtures, locales or docs.
import type { Role } from '../../model';
import { ancestryOf, type Ancestry } from './ancestry';
import type { SyntaxNode } from './parser';
import type { CodeFile } from './source';

/** Opening words that tell a model who it is. */
const PERSONA = String.raw`You are|You're|You (?:write|output|answer|respond|reply|generate|review|classify|summari[sz]e|translate|extract|rewrite|evaluate|grade) |You will (?:act|be|play|receive|get|be given)|Act as|Act like|I want you to(?: act)?|Pretend (?:to be|you are)|Imagine you are|Your (?:task|job|goal|role|mission|objective) is|As an? (?:\w+ ){0,3}(?:assistant|expert|AI|agent|model)\b`;
/** An imperative verb … the text it acts on ("Summarize the following", "Analyze the contents of"). */
const TASK = String.raw`(?:Please |Now |Carefully )?(?:Summari[sz]e|Translate|Explain|Analy[sz]e|Fix|Improve|Rewrite|Review|Classify|Extract|Generate|Write|Create|Describe|Identify|Evaluate|Answer|Convert|Categori[sz]e|Correct|Proofread|Refactor|Provide|List|Determine|Compare|Critique|Simplify|Paraphrase|Rephrase|Condense|Shorten|Expand|Complete|Continue|Draft|Compose|Suggest|Check|Divide|Split|Reformat|Grade|Score|Rate|Decide|Read|Examine|Assess|Label|Tag|Detect|Find|Select|Choose|Pick)\b[^.!?\n\`"']{0,80}?\b(?:the following|the text below|below|these|the (?:given|provided|above|attached|supplied|user's|selected)|the (?:contents?|code|text|conversation|article|document|passage|transcript|diff|page|email|message|question|image|video|file|data) (?:of|from|in|below|above)|this (?:text|code|content|article|document|conversation|email|message|passage|page|image|video|commit|file|diff|transcript|question|query|paper|snippet|function|post|thread|report))\b|(?:Summari[sz]e|Translate|Explain|Analy[sz]e|Fix|Improve|Rewrite|Review|Classify|Extract|Correct|Proofread|Refactor|Simplify|Paraphrase|Rephrase|Condense|Shorten|Expand|Reformat|Remove|Convert|Create|Generate|Write|Describe|List|Identify)\b[^.!?\n\`"'{}]{0,80}?(?:\{\}|\{\{?\s*[A-Za-z_][\w.-]*\s*\}\}?|\$\{[^}\n]{1,60}\})`;
/** Text framed for a model: "Given the following …", "Below is the paper abstract …". */
const FRAME = String.raw`Your (?:previous|last) (?:response|answer|reply|output|message)\b|Given (?:the|this|these|a|an|your|following|some)\b|Based on (?:the|this|these|following)\b|Below (?:is|are)\b|The following (?:is|are)\b|Here (?:is|are) (?:the|a|an|some)\b[^.!?\n\`"']{0,60}?\b(?:you|your|answer|respond|summari[sz]e|analy[sz]e)\b`;

/** The same openings in Chinese: "你是…" (you are), "请总结…" (please summarize), "以下是…" (the following is). */
const PERSONA_ZH = String.raw`你是|您是|你现在是|假设你是|请你?扮演|你将扮演|作为一[名个位]`;
const TASK_ZH = String.raw`请你?(?:帮我)?(?:总结|概括|翻译|解释|分析|回答|改写|润色|校对|评估|提取|分类|判断|检查|审查|生成)`;
const FRAME_ZH = String.raw`以下是|下面是|根据以下|基于以下|给定以下|请根据|请基于`;

/** The literal's opening quote, then one of the openings. */
const OPENING = new RegExp(String.raw`(?<![\w$])["'\`]\s*(?:${PERSONA}|${TASK}|${FRAME}|${PERSONA_ZH}|${TASK_ZH}|${FRAME_ZH})`, 'g');
/** A request for a reply format, anywhere in the text; or, in Chinese, for a summary of it ("对视频进行内容摘要"). */
const FORMAT = /\b(?:Respond|Reply|Answer|Return|Output|Format your (?:answer|response|reply))(?: (?:only|ONLY|Only))?(?: in| with| using| as)?(?: (?:a|an|the|valid|strict|pure|only|ONLY|Only))* JSON\b|\b(?:Return|Output|Respond with|Reply with) (?:only|ONLY) the (?:[\w-]+ ){0,3}(?:text|answer|result|code|summary|translation|list|output|response|glossary|table|contents|version|note|content)\b|(?:进行|给出|生成|写出|提供)\p{Script=Han}{0,6}?(?:摘要|总结|概括)/gu;

/** Texts whose files are about prompts, not prompts: tests, fixtures, mocks, stories, locales, docs. */
const NOT_HERE = /\.d\.ts$|\.(test|spec|stories|story|mock|e2e)\.[cm]?[jt]sx?$|(^|\/)(__tests__|__mocks__|__fixtures__|tests?|spec|e2e|fixtures?|mocks?|locales?|i18n|translations?|lang|docs?)\//;
/** Calls whose argument is read by people: logs, output, errors, translations, assertions. */
const PEOPLE_CALL = /(^|\.)(log|info|debug|warn|warning|error|trace|fatal|print|println|write|alert|confirm|toast|notify|notification|showInformationMessage|showWarningMessage|showErrorMessage|showMessage|setStatus|t|\$t|i18n|translate|formatMessage|describe|it|test|expect|assert|throws?|reject|fail|Error|\w*Error|\w*Exception)$/;
/** Object keys whose values are shown to people or read as tool metadata. */
const PEOPLE_KEY = /^(label|title|subtitle|heading|caption|description|desc|placeholder|tooltip|hint|help|helpText|alt|ariaLabel|aria-label|summary|notice|error|errorMessage|warning|toast|banner|cta|buttonText|emptyText|example|expected|expectedOutput|output|docs?|usage|readme)$/i;

/** A cheap test on a file's raw text: might it hold text addressed to a model? */
export function mayAddressModel(text: string): boolean {
  return text.search(OPENING) >= 0 || text.search(FORMAT) >= 0;
}

function roleOf(text: string): Role {
  return new RegExp(String.raw`^\s*(?:${PERSONA}|${PERSONA_ZH})`).test(text) ? 'system' : 'user';
}

/** The outermost expression a literal's text is part of: `+` chains, parentheses, the template it is nested in. */
function textRoot(up: Ancestry, n: SyntaxNode): SyntaxNode {
  let top = n;
  for (;;) {
    const p = up.parent(top);
    if (!p) return top;
    const pp = p.type === 'template_substitution' ? up.parent(p) : null;
    if (p.type === 'parenthesized_expression' || (p.type === 'binary_expression' && p.childForFieldName('operator')?.text === '+')) top = p;
    else if (pp?.type === 'template_string') top = pp;
    else return top;
  }
}

/** Is the text at `n` (a textRoot) meant for people: logged, thrown, shown, a test's data? */
function forPeople(up: Ancestry, n: SyntaxNode): boolean {
  for (let p: SyntaxNode | null = up.parent(n), depth = 0; p && depth < 6; p = up.parent(p), depth++) {
    if (p.type === 'expression_statement' || p.type === 'throw_statement') return true;
    if (/^jsx_/.test(p.type)) return true;
    if (p.type === 'arguments') {
      const call = up.parent(p);
      const callee = call?.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function')?.text ?? '';
      return PEOPLE_CALL.test(callee.replace(/\s+/g, ''));
    }
    if (p.type === 'pair') {
      const key = p.childForFieldName('key')?.text.replace(/^["'`]|["'`]$/g, '') ?? '';
      return PEOPLE_KEY.test(key);
    }
    if (p.type === 'variable_declarator' || p.type === 'assignment_expression' || p.type === 'return_statement' || p.type === 'public_field_definition') {
      const name = (p.type === 'assignment_expression' ? p.childForFieldName('left') : p.childForFieldName('name'))?.text ?? '';
      return /(?:^|[._])(?:label|title|placeholder|tooltip|description|help|hint|error|message|msg|warning|notice|caption|subtitle|heading|expected)s?$|(?:Label|Title|Placeholder|Tooltip|Description|Help|Hint|Error|Message|Msg|Warning|Notice|Caption|Heading|Expected)s?$/.test(name) && !/prompt|instruction/i.test(name);
    }
    if (p.type !== 'parenthesized_expression' && p.type !== 'as_expression' && p.type !== 'satisfies_expression' && p.type !== 'ternary_expression' && p.type !== 'binary_expression' && p.type !== 'await_expression') return false;
  }
  return false;
}

export interface AddressedText { node: SyntaxNode; role: Role }

/** Literals (their whole `+` chains or templates) that address a model, in `f` (JS/TS only). */
export function addressedTexts(f: CodeFile): AddressedText[] {
  if (f.isPython || NOT_HERE.test(f.file)) return [];
  const out: AddressedText[] = [];
  const seen = new Set<number>();
  const up = ancestryOf(f);
  const at = (offset: number) => {
    let n: SyntaxNode | null = up.at(offset);
    while (n && n.type !== 'string' && n.type !== 'template_string') n = up.parent(n);
    if (!n) return;
    let root = textRoot(up, n);
    // a list of lines joined into one text is one text, at its first literal
    const list = up.parent(root);
    const first = list?.type === 'array' ? list.namedChildren.find((c) => !!c && c.type !== 'comment') : undefined;
    if (first && first.id !== root.id && (first.type === 'string' || first.type === 'template_string')) root = first;
    if (seen.has(root.id)) return;
    seen.add(root.id);
    if (forPeople(up, root)) return;
    out.push({ node: root, role: roleOf(f.text.slice(n.startIndex + 1, n.endIndex)) });
  };
  for (const m of f.text.matchAll(OPENING)) at(m.index ?? 0);
  for (const m of f.text.matchAll(FORMAT)) at(m.index ?? 0);
  return out;
}
