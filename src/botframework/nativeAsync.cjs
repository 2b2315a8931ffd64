// Rewrites TypeScript's down-levelled async functions back into native ones:
//   __awaiter(this, void 0, void 0, function* () { … yield x … })
// becomes
//   (async function () { … await (x) … }).call(this)
// botbuilder's packages are compiled that way. The generators keep much of what a turn allocates
// alive past two young-generation collections, so it is promoted to the old space, where only a
// full mark-compact (a pause under load) frees it; native async functions do not, and cost less
// CPU a turn (bench/analysis.md, change 11). The edit is textual, so line numbers in stack traces
// stay the package's.
const ts = require('typescript');

const AWAITER = /^__awaiter\d*$/;

/** The packages compiled that way (botbuilder, botbuilder-core, -dialogs, botframework-connector…). */
const DOWNLEVELLED = /node_modules[\\/](botbuilder|botframework)[^\\/]*[\\/](?:(?!node_modules[\\/]).)+\.js$/;

function isVoidZero(node) {
  return ts.isVoidExpression(node) && ts.isNumericLiteral(node.expression) && node.expression.text === '0';
}

/** `__awaiter(thisArg, args, void 0, function* …)` calls in a file, with the generator. */
function awaiterCalls(sourceFile) {
  const calls = [];
  const visit = (node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      AWAITER.test(node.expression.text) &&
      node.arguments.length === 4 &&
      isVoidZero(node.arguments[2])
    ) {
      const fn = node.arguments[3];
      if (ts.isFunctionExpression(fn) && fn.asteriskToken && !fn.name) calls.push({ call: node, fn });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return calls;
}

function enclosingFunction(node) {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}

/** The source with every down-levelled async function made native; unchanged when it has none. */
function nativeAsync(source, fileName = 'file.js') {
  if (!/__awaiter\d*\(/.test(source)) return source;
  const sourceFile = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const calls = awaiterCalls(sourceFile);
  if (calls.length === 0) return source;
  const generators = new Set(calls.map((c) => c.fn));
  const edits = [];
  for (const { call, fn } of calls) {
    const [thisArg, args] = call.arguments;
    edits.push({ at: call.getStart(sourceFile), end: fn.getStart(sourceFile), text: '(' });
    edits.push({ at: fn.getStart(sourceFile), end: fn.asteriskToken.end, text: 'async function' });
    const invoke = isVoidZero(args)
      ? `.call(${thisArg.getText(sourceFile)})`
      : `.apply(${thisArg.getText(sourceFile)}, ${args.getText(sourceFile)})`;
    edits.push({ at: fn.end, end: call.end, text: `)${invoke}` });
  }
  const visit = (node) => {
    if (ts.isYieldExpression(node) && !node.asteriskToken && generators.has(enclosingFunction(node))) {
      const at = node.getStart(sourceFile);
      if (node.expression) {
        // `await` binds tighter than `yield`: keep the operand whole.
        edits.push({ at, end: node.expression.getStart(sourceFile), text: 'await (' });
        edits.push({ at: node.expression.end, end: node.expression.end, text: ')' });
      } else {
        edits.push({ at, end: node.end, text: 'await undefined' });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  edits.sort((a, b) => a.at - b.at || a.end - b.end);
  const parts = [];
  let from = 0;
  for (const edit of edits) {
    parts.push(source.slice(from, edit.at), edit.text);
    from = edit.end;
  }
  parts.push(source.slice(from));
  return parts.join('');
}

module.exports = { nativeAsync, DOWNLEVELLED };
