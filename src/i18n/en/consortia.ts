/** English messages: consortia. */
export const consortia = {
} as const;
