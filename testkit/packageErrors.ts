/** What building the Teams app package can fail with, and the JSON it reads (./appPackage.ts). */
export class PackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageError';
  }
}

/** Thrown when ${{VAR}} placeholders have no value; `variables` names them. */
export class MissingVariableError extends PackageError {
  constructor(
    readonly variables: readonly string[],
    where: string,
    hint = 'set them in the env file, its .user file, or the environment',
  ) {
    super(`${where}: no value for ${variables.join(', ')} (${hint})`);
    this.name = 'MissingVariableError';
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Variables = Readonly<Record<string, string>>;
