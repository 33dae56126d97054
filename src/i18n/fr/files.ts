import type { Translation } from '../index.ts';
import type { files as english } from '../en/files.ts';

/** French messages of attachment uploads that proposals and introductions share. */
export const files: Translation<typeof english> = {
  'files.error.malformed':
    'Le fichier n’est pas arrivé en entier. Choisissez de nouveau le fichier PDF et téléversez-le une nouvelle fois.',
  'files.error.busy.account':
    'Vous téléversez déjà {count} fichiers. Attendez la fin de ces envois, puis réessayez dans environ {seconds} secondes.',
  'files.error.busy.site': 'Le site reçoit actuellement de nombreux fichiers. Réessayez dans environ {seconds} secondes.',
  'files.error.quota.proposal.files':
    'Cette proposition compte déjà {limit} fichiers, le maximum autorisé. Retirez-en un avant d’en ajouter un autre.',
  'files.error.quota.proposal.bytes':
    'Avec ce fichier, les fichiers de la proposition dépasseraient {limit} Mo au total, le maximum autorisé.',
  'files.error.quota.introduction.files': 'Cette mise en relation compte déjà {limit} fichiers, le maximum autorisé.',
  'files.error.quota.introduction.bytes':
    'Avec ce fichier, les fichiers de la mise en relation dépasseraient {limit} Mo au total, le maximum autorisé.',
  'files.error.quota.account.files': 'Vous avez téléversé {limit} fichiers, le maximum autorisé pour un compte.',
  'files.error.quota.account.bytes':
    'Avec ce fichier, vos téléversements dépasseraient {limit} Mo au total, le maximum autorisé pour un compte.',
};
