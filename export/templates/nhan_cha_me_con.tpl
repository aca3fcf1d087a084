# Parent-child recognitions, built as the birth template from the fields of
# the recognition extract: the parent who recognizes, then the child, each
# with what the extract prints of a person (name, date of birth, sex,
# ethnicity, nationality, ID, residence); what hotich does not read off the
# page has the source '-', ready for a province to fill.
template nhan_cha_me_con
title Đăng ký nhận cha, mẹ, con
prefix nhan-cha-me-con
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
column nnSoDinhDanh      parent_id_number|link:parent id      -         Số định danh cá nhân của người nhận
column nnHoTen           parent_name        text              required  Họ, chữ đệm, tên của người nhận
column nnNgaySinh        parent_dob         date              -         Ngày sinh của người nhận
column nnGioiTinh        parent_sex         map:gioi_tinh     -         Giới tính của người nhận
column nnDanToc          -                  map:dan_toc       -         Dân tộc của người nhận
column nnQuocTich        -                  map:quoc_tich     -         Quốc tịch của người nhận
column nnNoiCuTru        -                  text              -         Nơi cư trú của người nhận
column dnSoDinhDanh      child_id_number|link:child id        -         Số định danh cá nhân của người được nhận
column dnHoTen           child_name         text              required  Họ, chữ đệm, tên của người được nhận
column dnNgaySinh        child_dob          date              -         Ngày sinh của người được nhận
column dnGioiTinh        -                  map:gioi_tinh     -         Giới tính của người được nhận
column dnDanToc          -                  map:dan_toc       -         Dân tộc của người được nhận
column dnQuocTich        -                  map:quoc_tich     -         Quốc tịch của người được nhận
column dnNoiCuTru        -                  text              -         Nơi cư trú của người được nhận
