#!/bin/sh
# hotich normalize: the output format of the contract (normalized, key,
# warnings), arguments and stdin, legacy encodings, exit codes.
. "$(dirname "$0")/lib/tap.sh"
tab=$(printf '\t')

t_run 0 "normalize name" hotich normalize name "NGUYỄN THỊ THUỲ DƯƠNG" "Nguyễn Thị Thùy Dương"
t_is "$(sed -n 1p "$T_OUT")" "Nguyễn Thị Thuỳ Dương${tab}nguyen thi thuy duong${tab}" "caps and old tone style give one canonical name"
t_is "$(sed -n 2p "$T_OUT")" "Nguyễn Thị Thuỳ Dương${tab}nguyen thi thuy duong${tab}" "the other spelling gives the same line"
t_run 0 "normalize name --split" hotich normalize name --split "H’Nhi Niê"
t_is "$(cat "$T_OUT")" "H'Nhi Niê${tab}hnhi nie${tab}${tab}Niê${tab}${tab}H'Nhi" "Ê Đê names put the clan name last"

printf '15/03/1987\n…/…/1948\nngày mùng năm tháng tư năm hai nghìn không trăm linh tám\n31/02/1990\n' >"$T_TMP/dates"
t_run 1 "normalize date from stdin exits 1 when a value cannot be read" sh -c "\"\$HOTICH\" normalize date <\"$T_TMP/dates\""
t_is "$(cut -f1 "$T_OUT" | tr '\n' ' ')" "1987-03-15 1948 2008-04-05  " "dates come out ISO, partial dates shortened, impossible ones empty"
t_grep "$T_OUT" "^${tab}${tab}date_impossible$" "the impossible date is flagged"
t_grep "$T_ERR" '31/02/1990.*has only 28 days' "and the reason is given on stderr"
t_run 0 "digits and words that agree" hotich normalize date "15/03/1987 | ngày mười lăm tháng ba năm một nghìn chín trăm tám mươi bảy"
t_nogrep "$T_OUT" 'date_disagree' "are not flagged"
t_run 0 "digits and words that disagree" hotich normalize date "15/03/1987 | ngày mười sáu tháng ba năm một nghìn chín trăm tám mươi bảy"
t_grep "$T_OUT" 'date_disagree' "are flagged"

t_run 0 "normalize id" hotich normalize id "001 087 012 345" "CMND số 012345678"
t_is "$(cut -f1 "$T_OUT" | tr '\n' ' ')" "001087012345 012345678 " "IDs come out as digits"
t_grep "$T_OUT" 'id_cmnd' "a CMND is recognized as such"
t_run 0 "normalize id with --dob repairs a misread year digit" hotich normalize id --dob 15/03/1987 --sex nam 001037012345
t_is "$(cat "$T_OUT")" "001087012345${tab}001087012345${tab}id_repaired" "to the only reading that fits"
t_run 0 "normalize id flags an ID that disagrees with the sex" hotich normalize id --dob 1987 --sex nu 001087012345
t_grep "$T_OUT" 'id_inconsistent' "as inconsistent"

t_run 0 "normalize place" hotich normalize place --split "X. Tân Quang, H. Văn Lâm, T. Hưng Yên"
t_is "$(cat "$T_OUT")" "Xã Tân Quang, Huyện Văn Lâm, Tỉnh Hưng Yên${tab}xa tan quang huyen van lam tinh hung yen${tab}${tab}033${tab}Hưng Yên${tab}pre2025${tab}Xã Như Quỳnh, Tỉnh Hưng Yên" "abbreviations expanded, province code and successor, status and the unit since July 2025"
t_run 0 "normalize place --split, the shape since July 2025" hotich normalize place --split "xã Đông Hưng, tỉnh Hưng Yên"
t_is "$(cat "$T_OUT")" "Xã Đông Hưng, Tỉnh Hưng Yên${tab}xa dong hung tinh hung yen${tab}${tab}033${tab}Hưng Yên${tab}2025${tab}Xã Đông Hưng, Tỉnh Hưng Yên" "a unit since July 2025 is its own successor"
t_run 0 "normalize place --split, a split commune" hotich normalize place --split "Phường Láng Hạ, Quận Đống Đa, Thành phố Hà Nội"
t_is "$(cut -f6- "$T_OUT")" "pre2025${tab}Phường Giảng Võ, Thành phố Hà Nội | Phường Láng, Thành phố Hà Nội | Phường Đống Đa, Thành phố Hà Nội" "gives every candidate, joined by ' | '"
t_run 0 "normalize place --split, a commune merged in 2019" hotich normalize place --split "X. Quảng Lợi, H. Đầm Hà, T. Quảng Ninh"
t_is "$(cut -f1,6 "$T_OUT")" "Xã Quảng Lợi, Huyện Đầm Hà, Tỉnh Quảng Ninh${tab}historical" "keeps its printed name, status historical"
t_grep "$T_OUT" "Xã Quảng Tân, Tỉnh Quảng Ninh" "and its successor among the candidates"
t_run 0 "normalize place --split, Hà Tây" hotich normalize place --split "Tỉnh Hà Tây"
t_is "$(cut -f4- "$T_OUT")" "028${tab}Hà Nội${tab}historical${tab}Thành phố Hà Nội" "a province of the past, with the province it became"
t_run 1 "normalize place --split, an unknown place" hotich normalize place --split "Atlantis" ""
t_is "$(sed -n 1p "$T_OUT" | cut -f3-)" "place_unknown${tab}${tab}${tab}unknown${tab}" "status unknown, no successor"

printf 'H\265 N\351i\n' >"$T_TMP/tcvn3"
t_run 0 "normalize text --from tcvn3" sh -c "\"\$HOTICH\" normalize text --from tcvn3 <\"$T_TMP/tcvn3\""
t_is "$(cut -f1 "$T_OUT")" "Hà Nội" "TCVN3 is decoded"
printf 'Ha\370 No\344i\n' >"$T_TMP/vni"
t_run 0 "normalize text --from auto on VNI" sh -c "\"\$HOTICH\" normalize text --from auto <\"$T_TMP/vni\""
t_is "$(cut -f1 "$T_OUT")" "Hà Nội" "VNI is detected and decoded"
t_run 0 "normalize text --from viqr" hotich normalize text --from viqr 'Nguye^~n Va(n DDu+o+ng'
t_is "$(cut -f1 "$T_OUT")" "Nguyễn Văn Đương" "VIQR is decoded"
t_run 0 "normalize text --repair" hotich normalize text --repair "Dưong"
t_is "$(cat "$T_OUT")" "Dương${tab}duong${tab}syllable_repaired" "an impossible syllable is repaired and flagged"

t_run 2 "normalize without a kind is a usage error" hotich normalize
t_run 2 "an unknown kind is a usage error" hotich normalize shoe size
t_run 2 "an unknown encoding is a usage error" hotich normalize text --from ebcdic x
t_run 2 "--dob is for ids only" hotich normalize name --dob 1987 x
t_run 0 "normalize --help" hotich normalize --help
t_grep "$T_OUT" '^Usage: hotich normalize' "prints the usage"
t_run 0 "hotich --help lists normalize" hotich --help
t_grep "$T_OUT" '^  normalize ' "in the command table"

t_done
