/**
 * Builds the Teams app package of one environment, offline (testkit/appPackage.ts says how):
 *
 *   node dist/scripts/package.js [envName]        (npm run package -- <env>, default: dev)
 */
import path from 'node:path';
import { PackageError, buildAppPackage } from '../testkit/appPackage';

async function main(argv: readonly string[]): Promise<void> {
  const envName = argv[0] ?? 'dev';
  const result = await buildAppPackage(envName, { processEnv: process.env });
  const relative = (p: string): string => path.relative(process.cwd(), p);
  console.log(
    `${relative(result.zipPath)}: ${result.entries.join(', ')} ` +
      `(valid against ${String(result.manifest.$schema).replace(/^.*\/teams\//, 'teams/')}; ` +
      `filled ${result.used.join(', ')})`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof PackageError ? `package: ${e.message}` : e);
    process.exitCode = 1;
  });
}
