import type { Translation } from '../index.ts';
import type { files as english } from '../en/files.ts';

/** Vietnamese messages of attachment uploads that proposals and introductions share. */
export const files: Translation<typeof english> = {
  'files.error.malformed': 'Tệp tải lên không đến nơi đầy đủ. Hãy chọn lại tệp PDF và tải lên một lần nữa.',
  'files.error.busy.account': 'Bạn đang tải lên {count} tệp. Hãy chờ đến khi hoàn tất, rồi thử lại sau khoảng {seconds} giây.',
  'files.error.busy.site': 'Trang web đang nhận nhiều tệp. Vui lòng thử lại sau khoảng {seconds} giây.',
  'files.error.quota.proposal.files':
    'Hồ sơ đề xuất này đã có {limit} tệp, mức tối đa cho phép. Hãy xóa một tệp trước khi thêm tệp khác.',
  'files.error.quota.proposal.bytes':
    'Tệp này sẽ làm tổng dung lượng tệp của hồ sơ đề xuất vượt quá {limit} MB, mức tối đa cho phép.',
  'files.error.quota.introduction.files': 'Yêu cầu kết nối này đã có {limit} tệp, mức tối đa cho phép.',
  'files.error.quota.introduction.bytes':
    'Tệp này sẽ làm tổng dung lượng tệp của yêu cầu kết nối vượt quá {limit} MB, mức tối đa cho phép.',
  'files.error.quota.account.files': 'Bạn đã tải lên {limit} tệp, mức tối đa của một tài khoản.',
  'files.error.quota.account.bytes':
    'Tệp này sẽ làm tổng dung lượng tải lên của bạn vượt quá {limit} MB, mức tối đa của một tài khoản.',
};
