# Birth registrations: the columns of the national import template for
# births (so, quyenSo, trangSo, ngayDangKy, loaiDangKy, noiDangKy, nguoiKy,
# chucVuNguoiKy, nguoiThucHien, ghiChu, the child's, the mother's, the
# father's).  The format is in the README ("Hand-over").
template khai_sinh
title Đăng ký khai sinh
prefix khai-sinh
status trangThai

#      NAME              SOURCE             FORMAT            REQUIRED  LABEL
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
column nksSoDinhDanh     id_number|link:subject id            -         Số định danh cá nhân
column nksHoTen          full_name          text              required  Họ, chữ đệm, tên
column nksGioiTinh       sex                map:gioi_tinh     required  Giới tính
column nksNgaySinh       dob                date_full         required  Ngày sinh
column nksNgaySinhBangChu dob               date_words        -         Ngày sinh bằng chữ
column nksNoiSinh        birthplace         text              required  Nơi sinh
column nksQueQuan        hometown           text              -         Quê quán
column nksDanToc         ethnicity          map:dan_toc       -         Dân tộc
column nksQuocTich       nationality        map:quoc_tich     -         Quốc tịch
column meSoDinhDanhCaNhan -                 id                -         Số định danh cá nhân của mẹ
column meHoTen           mother_name        text              -         Họ, chữ đệm, tên của mẹ
column meNgaySinh        -                  date              -         Ngày sinh của mẹ
column meDanToc          -                  map:dan_toc       -         Dân tộc của mẹ
column meQuocTich        -                  map:quoc_tich     -         Quốc tịch của mẹ
column meNoiCuTru        -                  text              -         Nơi cư trú của mẹ
column chaSoDinhDanhCaNhan -                id                -         Số định danh cá nhân của cha
column chaHoTen          father_name        text              -         Họ, chữ đệm, tên của cha
column chaNgaySinh       -                  date              -         Ngày sinh của cha
column chaDanToc         -                  map:dan_toc       -         Dân tộc của cha
column chaQuocTich       -                  map:quoc_tich     -         Quốc tịch của cha
column chaNoiCuTru       -                  text              -         Nơi cư trú của cha
