import type { Translation } from '../index.ts';
import type { alerts as english } from '../en/alerts.ts';

/** Indonesian messages: saved searches and their email alerts. */
export const alerts: Translation<typeof english> = {
  'alerts.describe.words': '“{q}”',
  'alerts.describe.all': 'Semua paket',

  'alerts.frequency.immediate': 'Segera setelah ada paket yang sesuai',
  'alerts.frequency.daily': 'Paling banyak sekali sehari',
  'alerts.frequency.weekly': 'Paling banyak sekali seminggu',
  'alerts.frequency.off': 'Tanpa email',

  'alerts.save.summary': 'Simpan pencarian ini dan terima pemberitahuan melalui email',
  'alerts.save.hint':
    'Kami akan mengirimkan email kepada Anda apabila paket yang sesuai dengan pencarian ini ditetapkan atau diperbarui.',
  'alerts.save.name': 'Nama pencarian ini',
  'alerts.save.frequency': 'Kirimi saya email',
  'alerts.save.submit': 'Simpan pencarian ini',
  'alerts.save.signIn': 'Masuk untuk menyimpan pencarian ini',
  'alerts.save.signIn.why': 'dan menerima email apabila ada paket baru yang sesuai.',

  'alerts.list.title': 'Pencarian tersimpan',
  'alerts.list.lede':
    'Setiap pencarian tersimpan akan mengirimkan email kepada Anda apabila paket yang sesuai ditetapkan atau diperbarui, paling sering sesuai frekuensi yang Anda pilih. Setiap pencarian juga tersedia sebagai umpan untuk aplikasi pembaca umpan.',
  'alerts.list.none': 'Anda belum memiliki pencarian tersimpan. Cari dalam katalog, lalu pilih “Simpan pencarian ini”.',
  'alerts.list.search': 'Cari dalam katalog',
  'alerts.list.count': '{count} dari paling banyak {max} pencarian tersimpan.',
  'alerts.list.results': 'Tampilkan hasil',
  'alerts.list.feed': 'Umpan Atom',
  'alerts.list.name': 'Nama',
  'alerts.list.frequency': 'Email',
  'alerts.list.update': 'Simpan perubahan',
  'alerts.list.delete': 'Hapus',
  'alerts.list.new': 'Simpan pencarian baru',
  'alerts.list.searchFor': 'Pencarian: {description}',
  'alerts.done.saved':
    'Pencarian telah disimpan. Kami akan mengirimkan email kepada Anda apabila paket yang sesuai ditetapkan atau diperbarui.',
  'alerts.done.updated': 'Perubahan telah disimpan.',
  'alerts.done.deleted': 'Pencarian tersimpan telah dihapus.',
  'alerts.buyer.link': 'Pencarian tersimpan dan pemberitahuan email',

  'alerts.error.name.invalid': 'Nama memuat karakter yang tidak dapat disimpan',
  'alerts.error.name.required': 'Beri nama untuk pencarian ini',
  'alerts.error.name.tooLong': 'Nama paling banyak {max} karakter',
  'alerts.error.frequency': 'Pilih seberapa sering Anda ingin menerima email',
  'alerts.error.query': 'Pencarian ini tidak dapat disimpan: mulai kembali dari halaman pencarian',
  'alerts.error.limit':
    'Anda memiliki {max} pencarian tersimpan, jumlah maksimum untuk satu akun. Hapus salah satunya untuk menyimpan pencarian lain.',
  'alerts.error.version': 'Formulir ini tidak lengkap: muat ulang halaman',
  'alerts.error.stale':
    'Pencarian tersimpan ini telah diubah di tempat lain (mungkin melalui email) setelah Anda membuka halaman ini. Sekarang ditampilkan isian Anda: periksa kembali, lalu simpan lagi.',
  'alerts.error.intent': 'Tidak ada yang diubah: gunakan tombol-tombol di halaman ini',
  'alerts.error.notFound': 'Pencarian tersimpan ini tidak ada atau bukan milik Anda.',

  'alerts.mail.subject.one': 'Paket baru untuk “{name}”: {title}',
  'alerts.mail.subject.other': '{count} paket baru untuk “{name}”',
  'alerts.mail.intro.one': 'Sebuah paket yang sesuai dengan pencarian tersimpan Anda “{name}” telah ditetapkan atau diperbarui:',
  'alerts.mail.intro.other':
    '{count} paket yang sesuai dengan pencarian tersimpan Anda “{name}” telah ditetapkan atau diperbarui:',
  'alerts.mail.search': 'Semua hasil pencarian ini: {url}',
  'alerts.mail.manage': 'Ubah nama pencarian ini, ubah frekuensi email, atau hapus pencarian: {url}',
  'alerts.mail.unsubscribe': 'Hentikan email dari pencarian ini (tanpa perlu masuk): {url}',

  'alerts.unsub.title': 'Hentikan email pemberitahuan',
  'alerts.unsub.lede':
    'Hentikan email dari pencarian tersimpan “{name}”? Pencarian tetap tersimpan; Anda dapat mengaktifkan kembali emailnya dari daftar pencarian tersimpan Anda.',
  'alerts.unsub.submit': 'Hentikan email ini',
  'alerts.unsub.done': 'Anda tidak akan lagi menerima email untuk “{name}”.',
  'alerts.unsub.already': 'Email untuk “{name}” sudah dinonaktifkan.',
  'alerts.unsub.manage': 'Kelola pencarian tersimpan Anda',
  'alerts.unsub.invalid.title': 'Tautan ini tidak sah',
  'alerts.unsub.invalid.body':
    'Tautan tidak lengkap atau telah diubah. Gunakan tautan dalam email sebagaimana dikirimkan, atau masuk dan kelola pencarian tersimpan Anda.',
  'alerts.unsub.gone.title': 'Pencarian tersimpan ini sudah tidak ada',
  'alerts.unsub.gone.body': 'Pencarian ini telah dihapus dan tidak lagi mengirimkan email.',
};
