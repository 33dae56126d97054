import type { Translation } from '../index.ts';
import type { files as english } from '../en/files.ts';

/** Arabic messages of attachment uploads that proposals and introductions share. */
export const files: Translation<typeof english> = {
  'files.error.malformed': 'لم يصل الملف المرفوع كاملًا. اختر ملف PDF مجددًا وارفعه مرة أخرى.',
  'files.error.busy.account':
    'عدد الملفات التي ترفعها حاليًا: {count}. انتظر حتى يكتمل رفعها، ثم حاول مجددًا بعد نحو {seconds} ثانية.',
  'files.error.busy.site': 'يستقبل الموقع ملفات كثيرة في الوقت الحالي. حاول مجددًا بعد {seconds} ثانية تقريبًا.',
  'files.error.quota.proposal.files': 'بلغ عدد ملفات هذا المقترح {limit}، وهو الحد الأقصى المسموح به. أزل ملفًا قبل إضافة آخر.',
  'files.error.quota.proposal.bytes': 'سيجعل هذا الملف مجموع ملفات المقترح يتجاوز {limit} ميغابايت، وهو الحد الأقصى المسموح به.',
  'files.error.quota.introduction.files': 'بلغ عدد ملفات طلب التعريف هذا {limit}، وهو الحد الأقصى المسموح به.',
  'files.error.quota.introduction.bytes':
    'سيجعل هذا الملف مجموع ملفات طلب التعريف يتجاوز {limit} ميغابايت، وهو الحد الأقصى المسموح به.',
  'files.error.quota.account.files': 'بلغ عدد الملفات التي رفعتها {limit}، وهو الحد الأقصى المسموح به للحساب الواحد.',
  'files.error.quota.account.bytes':
    'سيجعل هذا الملف مجموع ما رفعته يتجاوز {limit} ميغابايت، وهو الحد الأقصى المسموح به للحساب الواحد.',
};
