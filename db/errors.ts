/** Every failure the data and search layers report on purpose carries one of these codes. */
export type AppErrorCode =
  | 'DATA_DIR_LOCKED'
  | 'NOT_FOUND'
  | 'GONE'
  | 'INVALID_INPUT'
  | 'SEARCH_UNAVAILABLE'
  | 'SEARCH_TASK_FAILED'
  | 'DATABASE_UNAVAILABLE';

export class AppError extends Error {
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

export function isAppError(error: unknown, code?: AppErrorCode): error is AppError {
  return error instanceof Error && error.name === 'AppError' && (code === undefined || (error as AppError).code === code);
}
