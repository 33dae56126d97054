import type { Translation } from '../index.ts';
import type { files as english } from '../en/files.ts';

/** Spanish messages of attachment uploads that proposals and introductions share. */
export const files: Translation<typeof english> = {
  'files.error.malformed': 'El archivo no llegó completo. Vuelva a elegir el archivo PDF y cárguelo una vez más.',
  'files.error.busy.account':
    'Ya está cargando {count} archivos. Espere a que terminen y vuelva a intentarlo dentro de unos {seconds} segundos.',
  'files.error.busy.site':
    'El sitio está recibiendo muchos archivos en este momento. Vuelva a intentarlo dentro de unos {seconds} segundos.',
  'files.error.quota.proposal.files':
    'Esta propuesta ya tiene {limit} archivos, el máximo permitido. Quite uno antes de agregar otro.',
  'files.error.quota.proposal.bytes':
    'Con este archivo, los archivos de la propuesta superarían los {limit} MB en total, el máximo permitido.',
  'files.error.quota.introduction.files': 'Esta presentación ya tiene {limit} archivos, el máximo permitido.',
  'files.error.quota.introduction.bytes':
    'Con este archivo, los archivos de la presentación superarían los {limit} MB en total, el máximo permitido.',
  'files.error.quota.account.files': 'Ha cargado {limit} archivos, el máximo que puede cargar una cuenta.',
  'files.error.quota.account.bytes':
    'Con este archivo, sus cargas superarían los {limit} MB en total, el máximo que puede cargar una cuenta.',
};
