import type { Translation } from '../index.ts';
import type { alerts as english } from '../en/alerts.ts';

/** Vietnamese messages: saved searches and their email alerts. */
export const alerts: Translation<typeof english> = {
  'alerts.describe.words': '“{q}”',
  'alerts.describe.all': 'Tất cả các gói',

  'alerts.frequency.immediate': 'Ngay khi có gói phù hợp',
  'alerts.frequency.daily': 'Tối đa mỗi ngày một lần',
  'alerts.frequency.weekly': 'Tối đa mỗi tuần một lần',
  'alerts.frequency.off': 'Không gửi email',

  'alerts.save.summary': 'Lưu tìm kiếm này và nhận thông báo qua email',
  'alerts.save.hint': 'Chúng tôi sẽ gửi email cho bạn khi có gói phù hợp với tìm kiếm này được chỉ định hoặc cập nhật.',
  'alerts.save.name': 'Tên của tìm kiếm này',
  'alerts.save.frequency': 'Gửi email cho tôi',
  'alerts.save.submit': 'Lưu tìm kiếm này',
  'alerts.save.signIn': 'Đăng nhập để lưu tìm kiếm này',
  'alerts.save.signIn.why': 'và nhận email khi có gói mới phù hợp.',

  'alerts.list.title': 'Tìm kiếm đã lưu',
  'alerts.list.lede':
    'Mỗi tìm kiếm đã lưu sẽ gửi email cho bạn khi có gói phù hợp được chỉ định hoặc cập nhật, với tần suất tối đa do bạn chọn. Mỗi tìm kiếm cũng là một nguồn tin cho trình đọc nguồn tin.',
  'alerts.list.none': 'Bạn chưa có tìm kiếm nào được lưu. Hãy tìm kiếm trong danh mục, rồi chọn “Lưu tìm kiếm này”.',
  'alerts.list.search': 'Tìm kiếm trong danh mục',
  'alerts.list.count': '{count} trên tối đa {max} tìm kiếm đã lưu.',
  'alerts.list.results': 'Xem kết quả',
  'alerts.list.feed': 'Nguồn tin Atom',
  'alerts.list.name': 'Tên',
  'alerts.list.frequency': 'Email',
  'alerts.list.update': 'Lưu thay đổi',
  'alerts.list.delete': 'Xóa',
  'alerts.list.new': 'Lưu một tìm kiếm mới',
  'alerts.list.searchFor': 'Tìm kiếm: {description}',
  'alerts.done.saved': 'Đã lưu tìm kiếm. Chúng tôi sẽ gửi email cho bạn khi có gói phù hợp được chỉ định hoặc cập nhật.',
  'alerts.done.updated': 'Đã lưu thay đổi.',
  'alerts.done.deleted': 'Đã xóa tìm kiếm đã lưu.',
  'alerts.buyer.link': 'Tìm kiếm đã lưu và thông báo qua email',

  'alerts.error.name.invalid': 'Tên chứa ký tự không thể lưu',
  'alerts.error.name.required': 'Hãy đặt tên cho tìm kiếm này',
  'alerts.error.name.tooLong': 'Tên không được quá {max} ký tự',
  'alerts.error.frequency': 'Chọn tần suất nhận email',
  'alerts.error.query': 'Không thể lưu tìm kiếm này: hãy bắt đầu lại từ trang tìm kiếm',
  'alerts.error.limit':
    'Bạn đã có {max} tìm kiếm đã lưu, mức tối đa của một tài khoản. Hãy xóa một tìm kiếm để lưu tìm kiếm khác.',
  'alerts.error.version': 'Biểu mẫu này chưa đầy đủ: hãy tải lại trang',
  'alerts.error.stale':
    'Tìm kiếm đã lưu này đã được thay đổi ở nơi khác (có thể từ một email) kể từ khi bạn mở trang. Trang hiện hiển thị nội dung bạn đã nhập: hãy kiểm tra và lưu lại.',
  'alerts.error.intent': 'Không có gì thay đổi: hãy dùng các nút trên trang này',
  'alerts.error.notFound': 'Tìm kiếm đã lưu này không tồn tại hoặc không thuộc về bạn.',

  'alerts.mail.subject.one': 'Gói mới cho “{name}”: {title}',
  'alerts.mail.subject.other': '{count} gói mới cho “{name}”',
  'alerts.mail.intro.one': 'Một gói phù hợp với tìm kiếm đã lưu “{name}” của bạn vừa được chỉ định hoặc cập nhật:',
  'alerts.mail.intro.other': '{count} gói phù hợp với tìm kiếm đã lưu “{name}” của bạn vừa được chỉ định hoặc cập nhật:',
  'alerts.mail.search': 'Toàn bộ kết quả của tìm kiếm này: {url}',
  'alerts.mail.manage': 'Đổi tên tìm kiếm này, thay đổi tần suất nhận email hoặc xóa tìm kiếm: {url}',
  'alerts.mail.unsubscribe': 'Ngừng nhận email của tìm kiếm này (không cần đăng nhập): {url}',

  'alerts.unsub.title': 'Ngừng nhận email thông báo',
  'alerts.unsub.lede':
    'Ngừng nhận email của tìm kiếm đã lưu “{name}”? Tìm kiếm vẫn được lưu; bạn có thể bật lại email từ danh sách tìm kiếm đã lưu.',
  'alerts.unsub.submit': 'Ngừng nhận các email này',
  'alerts.unsub.done': 'Bạn sẽ không nhận thêm email nào cho “{name}”.',
  'alerts.unsub.already': 'Email của “{name}” đã được tắt.',
  'alerts.unsub.manage': 'Quản lý tìm kiếm đã lưu',
  'alerts.unsub.invalid.title': 'Liên kết này không hợp lệ',
  'alerts.unsub.invalid.body':
    'Liên kết không đầy đủ hoặc đã bị thay đổi. Hãy dùng liên kết trong email đúng như khi được gửi, hoặc đăng nhập và quản lý tìm kiếm đã lưu.',
  'alerts.unsub.gone.title': 'Tìm kiếm đã lưu này không còn tồn tại',
  'alerts.unsub.gone.body': 'Tìm kiếm đã bị xóa và không còn gửi email.',
};
