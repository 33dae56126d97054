import type { Translation } from '../index.ts';
import type { files as english } from '../en/files.ts';

/** Indonesian messages of attachment uploads that proposals and introductions share. */
export const files: Translation<typeof english> = {
  'files.error.malformed': 'Unggahan tidak diterima secara utuh. Pilih kembali berkas PDF dan unggah sekali lagi.',
  'files.error.busy.account':
    'Anda sedang mengunggah {count} berkas. Tunggu hingga selesai, lalu coba lagi dalam sekitar {seconds} detik.',
  'files.error.busy.site': 'Situs sedang menerima banyak berkas. Coba lagi dalam sekitar {seconds} detik.',
  'files.error.quota.proposal.files':
    'Proposal ini sudah memiliki {limit} berkas, jumlah maksimum yang diperbolehkan. Hapus salah satu sebelum menambahkan berkas lain.',
  'files.error.quota.proposal.bytes':
    'Berkas ini akan membuat total berkas proposal melebihi {limit} MB, batas maksimum yang diperbolehkan.',
  'files.error.quota.introduction.files': 'Perkenalan ini sudah memiliki {limit} berkas, jumlah maksimum yang diperbolehkan.',
  'files.error.quota.introduction.bytes':
    'Berkas ini akan membuat total berkas perkenalan melebihi {limit} MB, batas maksimum yang diperbolehkan.',
  'files.error.quota.account.files': 'Anda telah mengunggah {limit} berkas, jumlah maksimum untuk satu akun.',
  'files.error.quota.account.bytes':
    'Berkas ini akan membuat total unggahan Anda melebihi {limit} MB, batas maksimum untuk satu akun.',
};
