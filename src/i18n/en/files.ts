/** Messages of attachment uploads that proposals and introductions share. */
export const files = {
  'files.error.malformed': 'The upload did not arrive whole. Choose the PDF file again and upload it once more.',
  'files.error.busy.account':
    'You are already uploading {count} files. Wait until they have finished, then try again in about {seconds} seconds.',
  'files.error.busy.site': 'The site is receiving many files right now. Try again in about {seconds} seconds.',
  'files.error.quota.proposal.files':
    'This proposal already has {limit} files, the most it may have. Remove one before adding another.',
  'files.error.quota.proposal.bytes': 'This file would take the proposal’s files past {limit} MB in all, the most it may hold.',
  'files.error.quota.introduction.files': 'This introduction already has {limit} files, the most it may have.',
  'files.error.quota.introduction.bytes':
    'This file would take the introduction’s files past {limit} MB in all, the most it may hold.',
  'files.error.quota.account.files': 'You have uploaded {limit} files, the most one account may upload.',
  'files.error.quota.account.bytes': 'This file would take your uploads past {limit} MB in all, the most one account may upload.',
} as const;
