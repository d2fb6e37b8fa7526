"""Name and place pools for generated members: Faker's vi_VN names widened with common ones.

Surnames carry rough real-world weights (Nguyễn is about four in ten), so searches
and benchmarks meet the skew that real registries have.
"""

from faker.providers.person.vi_VN import Provider as FakerNames

# fmt: off
_WEIGHTED_SURNAMES = {
    "Nguyễn": 380, "Trần": 110, "Lê": 95, "Phạm": 70, "Hoàng": 50, "Phan": 45, "Vũ": 40, "Đặng": 21,
    "Bùi": 20, "Đỗ": 14, "Hồ": 13, "Ngô": 13, "Dương": 10, "Lý": 5, "Đinh": 8, "Lương": 5, "Hà": 6,
    "Trịnh": 5, "Đào": 5, "Mai": 4, "Tạ": 3, "Lưu": 3, "Vương": 2, "Kiều": 2, "Tô": 2, "Cao": 3,
    "Quách": 2, "Triệu": 2, "Lâm": 2, "Chu": 2, "Nông": 3, "Lục": 1, "Giáp": 2, "Lò": 1, "Huỳnh": 5, "Võ": 5,
}
# fmt: on
LAST_NAMES = sorted(set(FakerNames.last_names) | set(_WEIGHTED_SURNAMES))
LAST_NAME_WEIGHTS = [_WEIGHTED_SURNAMES.get(name, 2) for name in LAST_NAMES]

MIDDLE_MALE = ["Văn"] * 6 + [
    "Đức",
    "Hữu",
    "Quang",
    "Minh",
    "Xuân",
    "Đình",
    "Công",
    "Thanh",
    "Mạnh",
    "Trọng",
    "Duy",
    "Ngọc",
    "Bá",
    "Quốc",
    "Tiến",
    "Văn Hữu",
    "Đăng",
]
MIDDLE_FEMALE = ["Thị"] * 5 + ["Thu", "Ngọc", "Thanh", "Kim", "Thị Thu", "Hồng", "Minh"]
# fmt: off
FIRST_MALE = sorted(set(FakerNames.first_names_male) | {
    "Hùng", "Sơn", "Thắng", "Hải", "Tuấn", "Cường", "Long", "Lâm", "Khánh", "Toàn", "Lực", "Chiến", "Đạt",
    "Hiếu", "Kiên", "Lợi", "Mạnh", "Nghĩa", "Phong", "Quý", "Tài", "Thịnh", "Việt", "Vinh", "Bình", "Định",
    "Đông", "Giang", "Hòa", "Học", "Khải", "Nhân", "Tâm", "Tiến", "Tuyên", "Vượng", "Bắc", "Chính", "Dũng",
    "Đức", "Hậu", "Hợp", "Kỳ", "Luận", "Ninh", "Thái", "Thuận", "Thường", "Trường", "Tư", "Hưng", "Hứng",
    "Ân", "Ấn", "Ơn",
})
# fmt: on
# fmt: off
FIRST_FEMALE = sorted(set(FakerNames.first_names_female) | {
    "Lan", "Hoa", "Huệ", "Mai", "Nga", "Hằng", "Liên", "Nhung", "Thủy", "Yến", "Loan", "Hạnh",
})
# fmt: on

# Hometowns as "commune, district, province" triples that exist together.
PLACES = [
    "xã Tân Thịnh, TP Yên Bái, Yên Bái",
    "xã Văn Phú, TP Yên Bái, Yên Bái",
    "xã Sơn Thịnh, huyện Văn Chấn, Yên Bái",
    "xã Thượng Bằng La, huyện Văn Chấn, Yên Bái",
    "xã Đào Thịnh, huyện Trấn Yên, Yên Bái",
    "xã Minh Xuân, huyện Lục Yên, Yên Bái",
    "xã Thanh Ba, huyện Thanh Ba, Phú Thọ",
    "xã Hiền Lương, huyện Hạ Hòa, Phú Thọ",
    "xã Kim Phú, TP Tuyên Quang, Tuyên Quang",
    "xã Bảo Hà, huyện Bảo Yên, Lào Cai",
    "xã Phù Đổng, huyện Gia Lâm, Hà Nội",
    "xã Vũ Hội, huyện Vũ Thư, Thái Bình",
    "xã Hải Hậu, huyện Hải Hậu, Nam Định",
    "xã Hoằng Hóa, huyện Hoằng Hóa, Thanh Hóa",
    "xã Nam Đàn, huyện Nam Đàn, Nghệ An",
    "xã Thạch Hà, huyện Thạch Hà, Hà Tĩnh",
    "xã Cẩm Giàng, huyện Cẩm Giàng, Hải Dương",
    "xã Yên Lạc, huyện Yên Lạc, Vĩnh Phúc",
]
RESIDENCES = [
    "phường Yên Ninh, TP Yên Bái",
    "phường Đồng Tâm, TP Yên Bái",
    "phường Nguyễn Thái Học, TP Yên Bái",
    "phường Minh Tân, TP Yên Bái",
    "phường Hồng Hà, TP Yên Bái",
    "xã Tân Thịnh, TP Yên Bái",
    "phường Trung Tâm, thị xã Nghĩa Lộ",
    "thị trấn Cổ Phúc, huyện Trấn Yên",
    "thị trấn Yên Thế, huyện Lục Yên",
]
RANKS = [
    "Binh nhì",
    "Binh nhất",
    "Hạ sĩ",
    "Trung sĩ",
    "Thượng sĩ",
    "Thiếu úy",
    "Trung úy",
    "Thượng úy",
    "Đại úy",
    "Thiếu tá",
    "Trung tá",
    "Thượng tá",
    "Đại tá",
]
SERVED_UNITS = [
    "Sư đoàn 316",
    "Sư đoàn 312",
    "Sư đoàn 308",
    "Quân khu 2",
    "Bộ đội Biên phòng",
    "Lữ đoàn 168",
    "Trung đoàn 174",
    "Quân đoàn 1",
    "Quân chủng Phòng không – Không quân",
    "Bộ Chỉ huy Quân sự tỉnh Yên Bái",
]
EDUCATION = ["7/10", "10/10", "12/12", "Trung cấp", "Cao đẳng", "Đại học", "Thạc sĩ"]
