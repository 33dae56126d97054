/** English messages: introductions. */
export const introductions = {
} as const;
