/** The `default` of a switch that handles every member of a union: compiling fails when a member is added unhandled. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
