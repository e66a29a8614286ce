// The layering rules of docs/ARCHITECTURE.md, checked by `npm run lint` (depcruise). Each rule names the layer it
// protects; a violation fails the lint with the importing file, the imported file and the rule.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain is pure TypeScript: it imports nothing of the project outside src/domain',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'web-imports-no-feature',
      comment: 'src/web is the app and its machinery: features plug into it through src/routes.ts and src/services.ts',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'platform-imports-no-feature',
      comment: 'src/platform is shared machinery (database, audit, auth, notify): it knows no feature',
      severity: 'error',
      from: { path: '^src/(platform|forms)/' },
      to: { path: '^src/(features|web)/' },
    },
    {
      name: 'features-meet-through-services',
      comment:
        'a feature uses another feature only through its public surface: service.ts, and schema.ts for the forms and ' +
        'imports that validate the same input (never its repository or internals); tests set up through test/support',
      severity: 'error',
      from: { path: '^src/features/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: {
        path: '^src/features/[^/]+/',
        pathNot: ['^src/features/$1/', '^src/features/[^/]+/(service|schema)\\.ts$'],
      },
    },
    {
      name: 'production-imports-no-test-code',
      comment: 'code that ships does not import tests, test helpers or fixtures',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '/testing\\.ts$', '/fixtures\\.ts$'] },
      to: { path: ['^test/', '\\.test\\.ts$', '/testing\\.ts$', '/fixtures\\.ts$'] },
    },
    {
      name: 'no-demo-in-production',
      comment: 'the demo (src/demo) builds on the service; the service never depends on the demo',
      severity: 'error',
      from: { path: '^src/(features|platform|forms|web|domain)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/demo/' },
    },
    {
      name: 'no-circular',
      comment: 'modules that import each other in a ring cannot be understood or moved one at a time',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^reports', '^\\.stryker-tmp'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
}
