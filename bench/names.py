"""Vietnamese-looking names for generated members and branches (plain data, no Django)."""

import unicodedata


def _nfc(words: list[str]) -> list[str]:
    return [unicodedata.normalize("NFC", word) for word in words]


# Family names with rough shares (per cent) of the population.
FAMILIES = _nfc(
    [
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
        "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Đào", "Mai", "Tạ",
        "Cao", "Vương", "Lâm", "Hà", "Chu", "Kiều",
    ]
)  # fmt: skip # data read as a paragraph, not a column
FAMILY_WEIGHTS = [
    38, 11, 9.5, 7.1, 4.1, 1, 4.5, 3.9, 1, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 0.8, 0.8, 0.5,
    0.5, 0.4, 0.3, 0.4, 0.2, 0.3, 0.4, 0.2, 0.1,
]  # fmt: skip # data read as a paragraph, not a column

# Middle names: the first one of each list is the most common (about half of the names).
WOMEN_MIDDLE = _nfc(
    ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Phương", "Bảo", "Diệu", "Mỹ",
     "Hoài", "Khánh", "Quỳnh"]
)  # fmt: skip # data read as a paragraph, not a column
MEN_MIDDLE = _nfc(
    ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Xuân", "Trọng", "Quang", "Bá",
     "Đình", "Tiến", "Mạnh", "Hoàng"]
)  # fmt: skip # data read as a paragraph, not a column

WOMEN_GIVEN = _nfc(
    [
        "Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Ngọc", "Thảo", "Hà", "Huyền", "Phương",
        "Anh", "Thủy", "Hằng", "Nga", "Dung", "Yến", "Vân", "Hạnh", "Loan", "Nhung", "Liên",
        "Hiền", "Oanh", "Thư", "Vy", "Nhi", "Quyên", "Giang", "Châu", "Diệp", "Uyên", "Trâm",
        "Xuân", "Ánh", "Tuyết", "Hồng", "Duyên", "My", "Ly",
    ]
)  # fmt: skip # data read as a paragraph, not a column
MEN_GIVEN = _nfc(
    [
        "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Hải", "Long", "Quang", "Sơn", "Thắng", "Cường",
        "Đức", "Hiếu", "Trung", "Phong", "Khoa", "Bình", "Tùng", "Việt", "Hoàng", "Huy",
        "Khánh", "Lâm", "Phúc", "Tài", "Thành", "Toàn", "Vinh", "Kiên", "Đạt", "Hòa", "Quân",
        "Thịnh", "Trí", "Bảo", "An", "Duy", "Hưng", "Nghĩa", "Lợi",
    ]
)  # fmt: skip # data read as a paragraph, not a column

ETHNICITIES = _nfc(
    ["Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông", "Dao", "Gia Rai",
     "Ê Đê", "Chăm", ""]
)  # fmt: skip # data read as a paragraph, not a column
ETHNICITY_WEIGHTS = [86, 2, 2, 1.5, 1.5, 1, 1, 1, 0.8, 0.4, 0.4, 0.2, 2.2]

# 63 provinces and cities (before the 2025 mergers) and 17 national sector unions: 80
# federations directly under the confederation.
PROVINCES = _nfc(
    [
        "thành phố Hà Nội", "Thành phố Hồ Chí Minh", "thành phố Hải Phòng",
        "thành phố Đà Nẵng", "thành phố Cần Thơ", "tỉnh An Giang", "tỉnh Bà Rịa - Vũng Tàu",
        "tỉnh Bắc Giang", "tỉnh Bắc Kạn", "tỉnh Bạc Liêu", "tỉnh Bắc Ninh", "tỉnh Bến Tre",
        "tỉnh Bình Định", "tỉnh Bình Dương", "tỉnh Bình Phước", "tỉnh Bình Thuận",
        "tỉnh Cà Mau", "tỉnh Cao Bằng", "tỉnh Đắk Lắk", "tỉnh Đắk Nông", "tỉnh Điện Biên",
        "tỉnh Đồng Nai", "tỉnh Đồng Tháp", "tỉnh Gia Lai", "tỉnh Hà Giang", "tỉnh Hà Nam",
        "tỉnh Hà Tĩnh", "tỉnh Hải Dương", "tỉnh Hậu Giang", "tỉnh Hòa Bình", "tỉnh Hưng Yên",
        "tỉnh Khánh Hòa", "tỉnh Kiên Giang", "tỉnh Kon Tum", "tỉnh Lai Châu",
        "tỉnh Lâm Đồng", "tỉnh Lạng Sơn", "tỉnh Lào Cai", "tỉnh Long An", "tỉnh Nam Định",
        "tỉnh Nghệ An", "tỉnh Ninh Bình", "tỉnh Ninh Thuận", "tỉnh Phú Thọ", "tỉnh Phú Yên",
        "tỉnh Quảng Bình", "tỉnh Quảng Nam", "tỉnh Quảng Ngãi", "tỉnh Quảng Ninh",
        "tỉnh Quảng Trị", "tỉnh Sóc Trăng", "tỉnh Sơn La", "tỉnh Tây Ninh", "tỉnh Thái Bình",
        "tỉnh Thái Nguyên", "tỉnh Thanh Hóa", "tỉnh Thừa Thiên Huế", "tỉnh Tiền Giang",
        "tỉnh Trà Vinh", "tỉnh Tuyên Quang", "tỉnh Vĩnh Long", "tỉnh Vĩnh Phúc",
        "tỉnh Yên Bái",
    ]
)  # fmt: skip # data read as a paragraph, not a column
SECTORS = _nfc(
    [
        "Giáo dục Việt Nam", "Y tế Việt Nam", "Công Thương Việt Nam", "Xây dựng Việt Nam",
        "Giao thông vận tải Việt Nam", "Nông nghiệp và Phát triển nông thôn Việt Nam",
        "Tài chính Việt Nam", "Ngân hàng Việt Nam", "Thông tin và Truyền thông Việt Nam",
        "Quốc phòng", "Công an nhân dân", "Dệt May Việt Nam", "Dầu khí Việt Nam",
        "Điện lực Việt Nam", "Than - Khoáng sản Việt Nam", "Cao su Việt Nam",
        "Viên chức Việt Nam",
    ]
)  # fmt: skip # data read as a paragraph, not a column

WORKPLACES = _nfc(
    [
        "Công ty TNHH", "Công ty Cổ phần", "Trường Tiểu học", "Trường Trung học cơ sở",
        "Trường Mầm non", "Bệnh viện", "Trung tâm Y tế", "Ủy ban nhân dân xã", "Chi cục",
        "Xí nghiệp", "Nhà máy", "Hợp tác xã",
    ]
)  # fmt: skip # data read as a paragraph, not a column
PLACE_WORDS = _nfc(
    [
        "Hòa Bình", "Thắng Lợi", "Thành Công", "Đông Á", "Phú Cường", "Tân Tiến",
        "Sông Hồng", "Hồng Hà", "Trường Sơn", "Bình Minh", "Ánh Dương", "Hưng Thịnh",
        "Việt Tiến", "Sao Mai", "Đại Dương", "Hoàng Long", "An Phát", "Kim Liên",
    ]
)  # fmt: skip # data read as a paragraph, not a column


def federation_name(index: int) -> str:
    """The name of the `index`-th federation (0-based): provinces first, then sectors."""
    if index < len(PROVINCES):
        return f"Liên đoàn Lao động {PROVINCES[index]}"
    index -= len(PROVINCES)
    if index < len(SECTORS):
        return f"Công đoàn {SECTORS[index]}"
    return f"Liên đoàn Lao động số {index + 1}"
