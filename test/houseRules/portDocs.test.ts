import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** The ports: the interfaces an adapter implements, by file. */
const PORTS: Record<string, string[]> = {
  'src/model/repository.ts': ['RecordReader', 'Transaction', 'Repository'],
  'src/appStorage.ts': ['AppStorage'],
  'src/core/clock.ts': ['Clock'],
  'src/core/random.ts': ['RandomSource'],
  'src/core/rateLimiter.ts': ['RateLimiter'],
  'src/core/turnLock.ts': ['TurnLock'],
  'src/membership/billing.ts': ['BillingPort'],
  'src/membership/domainEvents.ts': ['DomainEvents'],
  'src/notify/transport.ts': ['Transport'],
  'src/privacy/personalDataService.ts': ['ConversationCopies'],
  'src/store/stateTextStorage.ts': ['StateTextStorage'],
  'src/store/storeFiles.ts': ['StoreFiles'],
};

/** The port's members without a JSDoc comment, and each method parameter no `@param` names. */
function undocumented(file: string, name: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const port = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
  if (!port) return [`${name} is not declared in ${file}`];
  const missing: string[] = [];
  if (ts.getJSDocCommentsAndTags(port).length === 0) missing.push(name);
  for (const member of port.members) {
    const memberName = `${name}.${member.name?.getText(source) ?? '?'}`;
    if (ts.getJSDocCommentsAndTags(member).length === 0) missing.push(memberName);
    if (!ts.isMethodSignature(member)) continue;
    const documented = ts
      .getJSDocTags(member)
      .filter(ts.isJSDocParameterTag)
      .map((tag) => tag.name.getText(source));
    for (const parameter of member.parameters) {
      const parameterName = parameter.name.getText(source);
      if (!documented.includes(parameterName)) missing.push(`${memberName} @param ${parameterName}`);
    }
  }
  return missing;
}

describe('every port has JSDoc on each method, with @param for each parameter', () => {
  it.each(Object.entries(PORTS))('%s', (file, names) => {
    expect(names.flatMap((name) => undocumented(file, name))).toEqual([]);
  });
});
