import { isAppError } from '../../db/errors.ts';

/** Runs a command-line task and turns expected failures into a clear message and exit code 1. */
export async function runCli(task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (error) {
    if (isAppError(error)) {
      console.error(`\n${error.message}\n`);
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  }
}
