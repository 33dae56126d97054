import type { Translation } from '../index.ts';
import type { alerts as english } from '../en/alerts.ts';

/** Arabic messages: saved searches and their email alerts. */
export const alerts: Translation<typeof english> & Record<string, string> = {
  'alerts.describe.words': '«{q}»',
  'alerts.describe.all': 'جميع الحزم',

  'alerts.frequency.immediate': 'فور مطابقة حزمة',
  'alerts.frequency.daily': 'مرة واحدة يوميًا على الأكثر',
  'alerts.frequency.weekly': 'مرة واحدة أسبوعيًا على الأكثر',
  'alerts.frequency.off': 'دون بريد إلكتروني',

  'alerts.save.summary': 'احفظ هذا البحث وتلقَّ تنبيهات بالبريد الإلكتروني',
  'alerts.save.hint': 'نراسلك بالبريد الإلكتروني عند اعتماد حزمة تطابق هذا البحث أو تحديثها.',
  'alerts.save.name': 'اسم هذا البحث',
  'alerts.save.frequency': 'راسلني',
  'alerts.save.submit': 'حفظ هذا البحث',
  'alerts.save.signIn': 'سجّل الدخول لحفظ هذا البحث',
  'alerts.save.signIn.why': 'وتلقي رسالة بالبريد الإلكتروني عندما تطابقه حزمة جديدة.',

  'alerts.list.title': 'عمليات البحث المحفوظة',
  'alerts.list.lede':
    'يرسل إليك كل بحث محفوظ رسالة بالبريد الإلكتروني عند اعتماد حزمة تطابقه أو تحديثها، بالوتيرة التي تختارها على الأكثر. وكل بحث محفوظ هو أيضًا موجز يمكن متابعته بقارئ الموجزات.',
  'alerts.list.none': 'ليست لديك عمليات بحث محفوظة بعد. ابحث في الدليل، ثم اختر «حفظ هذا البحث».',
  'alerts.list.search': 'البحث في الدليل',
  'alerts.list.count': 'عمليات البحث المحفوظة: {count} من أصل {max} كحد أقصى.',
  'alerts.list.results': 'عرض النتائج',
  'alerts.list.feed': 'موجز Atom',
  'alerts.list.name': 'الاسم',
  'alerts.list.frequency': 'البريد الإلكتروني',
  'alerts.list.update': 'حفظ التغييرات',
  'alerts.list.delete': 'حذف',
  'alerts.list.new': 'حفظ بحث جديد',
  'alerts.list.searchFor': 'البحث: {description}',
  'alerts.done.saved': 'تم حفظ البحث. سنراسلك بالبريد الإلكتروني عند اعتماد حزمة تطابقه أو تحديثها.',
  'alerts.done.updated': 'تم حفظ التغييرات.',
  'alerts.done.deleted': 'تم حذف البحث المحفوظ.',
  'alerts.buyer.link': 'عمليات البحث المحفوظة وتنبيهات البريد الإلكتروني',

  'alerts.error.name.invalid': 'يحتوي الاسم على أحرف لا يمكن تخزينها',
  'alerts.error.name.required': 'أعطِ هذا البحث اسمًا',
  'alerts.error.name.tooLong': 'يجب ألا يتجاوز الاسم {max} حرفًا',
  'alerts.error.frequency': 'اختر عدد مرات مراسلتك بالبريد الإلكتروني',
  'alerts.error.query': 'لا يمكن حفظ هذا البحث: ابدأ من جديد من صفحة البحث',
  'alerts.error.limit': 'لديك {max} عملية بحث محفوظة، وهو الحد الأقصى للحساب الواحد. احذف واحدة لحفظ أخرى.',
  'alerts.error.version': 'هذا النموذج غير مكتمل: أعد تحميل الصفحة',
  'alerts.error.stale':
    'تغيّر هذا البحث المحفوظ من مكان آخر (ربما من رسالة بريد إلكتروني) منذ فتحت هذه الصفحة. وهي تعرض الآن ما كتبته: راجعه واحفظه مجددًا.',
  'alerts.error.intent': 'لم يتغير شيء: استخدم الأزرار الموجودة في هذه الصفحة',
  'alerts.error.notFound': 'هذا البحث المحفوظ غير موجود أو لا يخصك.',

  'alerts.mail.subject.zero': 'لا حزم جديدة لـ«{name}»',
  'alerts.mail.subject.one': 'حزمة جديدة لـ«{name}»: {title}',
  'alerts.mail.subject.two': 'حزمتان جديدتان لـ«{name}»',
  'alerts.mail.subject.few': '{count} حزم جديدة لـ«{name}»',
  'alerts.mail.subject.many': '{count} حزمة جديدة لـ«{name}»',
  'alerts.mail.subject.other': '{count} حزمة جديدة لـ«{name}»',
  'alerts.mail.intro.zero': 'لم تُعتمد أو تُحدَّث أي حزمة تطابق بحثك المحفوظ «{name}».',
  'alerts.mail.intro.one': 'اعتُمدت أو حُدّثت حزمة تطابق بحثك المحفوظ «{name}»:',
  'alerts.mail.intro.two': 'اعتُمدت أو حُدّثت حزمتان تطابقان بحثك المحفوظ «{name}»:',
  'alerts.mail.intro.few': 'اعتُمدت أو حُدّثت {count} حزم تطابق بحثك المحفوظ «{name}»:',
  'alerts.mail.intro.many': 'اعتُمدت أو حُدّثت {count} حزمة تطابق بحثك المحفوظ «{name}»:',
  'alerts.mail.intro.other': 'اعتُمدت أو حُدّثت {count} حزمة تطابق بحثك المحفوظ «{name}»:',
  'alerts.mail.search': 'جميع نتائج هذا البحث: {url}',
  'alerts.mail.manage': 'لإعادة تسمية هذا البحث، أو تغيير عدد مرات مراسلتك، أو حذفه: {url}',
  'alerts.mail.unsubscribe': 'لإيقاف رسائل هذا البحث (دون الحاجة إلى تسجيل الدخول): {url}',

  'alerts.unsub.title': 'إيقاف رسائل التنبيه',
  'alerts.unsub.lede':
    'هل تريد إيقاف رسائل البحث المحفوظ «{name}»؟ سيبقى البحث محفوظًا، ويمكنك إعادة تفعيل رسائله من عمليات البحث المحفوظة.',
  'alerts.unsub.submit': 'إيقاف هذه الرسائل',
  'alerts.unsub.done': 'لن تتلقى أي رسائل أخرى بشأن «{name}».',
  'alerts.unsub.already': 'رسائل «{name}» متوقفة.',
  'alerts.unsub.manage': 'إدارة عمليات البحث المحفوظة',
  'alerts.unsub.invalid.title': 'هذا الرابط غير صالح',
  'alerts.unsub.invalid.body':
    'الرابط غير مكتمل أو تم تغييره. استخدم الرابط الوارد في الرسالة كما أُرسل، أو سجّل الدخول وأدر عمليات البحث المحفوظة.',
  'alerts.unsub.gone.title': 'هذا البحث المحفوظ لم يعد موجودًا',
  'alerts.unsub.gone.body': 'لقد حُذف، ولن يرسل أي رسائل بعد الآن.',
};
