import { expect } from "chai";
import path from "node:path";
import ts from "typescript";

/**
 * Every export of the SDK's entry point carries TSDoc: what developers see on hover and in the generated docs. The
 * TypeScript compiler lists the exports (re-exports followed to their declaration) and each must have a doc comment.
 */
describe("SDK TSDoc", function () {
  this.timeout(120_000);

  it("documents every export of @cityledger/sdk", () => {
    const entry = path.resolve(__dirname, "..", "..", "sdk", "src", "index.ts");
    const program = ts.createProgram([entry], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], noEmit: true });
    const checker = program.getTypeChecker();
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
    const undocumented = exports
      .filter((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return !(target.getDeclarations() ?? []).some(
          (d) => ts.getJSDocCommentsAndTags(d).length > 0 || (ts.isVariableDeclaration(d) && ts.getJSDocCommentsAndTags(d.parent.parent).length > 0),
        );
      })
      .map((symbol) => symbol.name);
    expect(exports.length).to.be.greaterThan(300);
    expect(undocumented).to.deep.equal([]);
  });
});
