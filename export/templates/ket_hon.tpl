# Marriages, built as the birth template from the fields of the marriage
# certificate (Giấy chứng nhận kết hôn): the husband's, then the wife's.
template ket_hon
title Đăng ký kết hôn
prefix ket-hon
status trangThai

column so                register_no        number            required  Số
column quyenSo           book               text              required  Quyển số
column trangSo           -                  text              -         Trang số
column ngayDangKy        registered_on      date_full         required  Ngày đăng ký
column loaiDangKy        registration_kind  map:loai_dang_ky  required  Loại đăng ký
column noiDangKy         registry_office    text              required  Nơi đăng ký
column nguoiKy           -                  text              -         Người ký
column chucVuNguoiKy     -                  text              -         Chức vụ người ký
column nguoiThucHien     -                  text              -         Người thực hiện
column ghiChu            -                  text              -         Ghi chú
column chongSoDinhDanh   husband_id_number|link:husband id    -         Số định danh cá nhân của chồng
column chongHoTen        husband_name       text              required  Họ, chữ đệm, tên của chồng
column chongNgaySinh     husband_dob        date              required  Ngày sinh của chồng
column chongDanToc       husband_ethnicity  map:dan_toc       -         Dân tộc của chồng
column chongQuocTich     husband_nationality map:quoc_tich    -         Quốc tịch của chồng
column chongNoiCuTru     husband_residence  text              -         Nơi cư trú của chồng
column voSoDinhDanh      wife_id_number|link:wife id          -         Số định danh cá nhân của vợ
column voHoTen           wife_name          text              required  Họ, chữ đệm, tên của vợ
column voNgaySinh        wife_dob           date              required  Ngày sinh của vợ
column voDanToc          wife_ethnicity     map:dan_toc       -         Dân tộc của vợ
column voQuocTich        wife_nationality   map:quoc_tich     -         Quốc tịch của vợ
column voNoiCuTru        wife_residence     text              -         Nơi cư trú của vợ
