# Death registrations, built as the birth template from the fields of the
# death extract (Trích lục khai tử).
template khai_tu
title Đăng ký khai tử
prefix khai-tu
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
column nktSoDinhDanh     id_number|link:subject id            -         Số định danh cá nhân
column nktHoTen          full_name          text              required  Họ, chữ đệm, tên
column nktGioiTinh       sex                map:gioi_tinh     -         Giới tính
column nktNgaySinh       dob                date              -         Ngày sinh
column nktDanToc         ethnicity          map:dan_toc       -         Dân tộc
column nktQuocTich       nationality        map:quoc_tich     -         Quốc tịch
column nktNgayChet       died_on            date_full         required  Ngày chết
column nktNoiChet        death_place        text              required  Nơi chết
column nktNguyenNhan     death_cause        text              -         Nguyên nhân chết
