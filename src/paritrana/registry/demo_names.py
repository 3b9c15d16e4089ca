"""The demo data set's vocabulary: provinces' approximate minimum wages and weights, Indonesian given and family
names, company words, sectors and occupations. Pure data, used by ``registry.demo_data`` to draw a realistic registry.

The minimum wages are approximate 2024 provincial figures (UMP), used only to make demo wages look realistic:
nothing is computed from them.
"""

from __future__ import annotations

from paritrana.registry.models import VULNERABLE_OCCUPATIONS, Occupation

# province code -> approximate 2024 minimum wage (UMP), rupiah; demo wages only
DEMO_MINIMUM_WAGE: dict[str, int] = {
    "11": 3_460_000,  # Aceh
    "12": 2_810_000,  # Sumatera Utara
    "16": 3_457_000,  # Sumatera Selatan
    "31": 5_067_000,  # DKI Jakarta
    "32": 2_057_000,  # Jawa Barat
    "33": 2_037_000,  # Jawa Tengah
    "34": 2_126_000,  # DI Yogyakarta
    "35": 2_165_000,  # Jawa Timur
    "36": 2_728_000,  # Banten
    "51": 2_814_000,  # Bali
    "53": 2_187_000,  # Nusa Tenggara Timur
    "64": 3_361_000,  # Kalimantan Timur
    "73": 3_434_000,  # Sulawesi Selatan
}
# share of the demo workers per province (roughly the participants' weights)
PROVINCE_WEIGHT: dict[str, int] = {
    "11": 4, "12": 8, "16": 5, "31": 14, "32": 16, "33": 14, "34": 4, "35": 15, "36": 7, "51": 4, "53": 3, "64": 3, "73": 5,
}  # fmt: skip

MALE_NAMES = [
    "Agus",
    "Budi",
    "Joko",
    "Slamet",
    "Bambang",
    "Hendra",
    "Andi",
    "Rudi",
    "Dedi",
    "Eko",
    "Fajar",
    "Gilang",
    "Hadi",
    "Imam",
    "Iwan",
    "Yusuf",
    "Rizki",
    "Arif",
    "Bayu",
    "Dimas",
    "Teguh",
    "Wahyu",
    "Made",
    "Ketut",
    "Nyoman",
    "Putu",
    "Muhammad",
    "Ahmad",
    "Ilham",
    "Rahmat",
    "Sutrisno",
    "Supriyadi",
    "Heru",
]
FEMALE_NAMES = [
    "Siti",
    "Sri",
    "Dewi",
    "Nur",
    "Ayu",
    "Rina",
    "Wati",
    "Yuni",
    "Lestari",
    "Ratna",
    "Indah",
    "Fitri",
    "Putri",
    "Ani",
    "Endang",
    "Sari",
    "Wulan",
    "Dian",
    "Mega",
    "Nurul",
    "Aisyah",
    "Fatimah",
    "Kartini",
    "Ningsih",
    "Rahayu",
    "Susanti",
    "Ratih",
    "Komang",
    "Desak",
    "Maria",
    "Yohana",
    "Intan",
]
FAMILY_NAMES = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Kurniawan",
    "Pratama",
    "Setiawan",
    "Nugroho",
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Simanjuntak",
    "Sihombing",
    "Manurung",
    "Tanjung",
    "Hasibuan",
    "Rangkuti",
    "Daulay",
    "Purba",
    "Gultom",
    "Sinaga",
    "Wibowo",
    "Susanto",
    "Gunawan",
    "Halim",
    "Rahman",
    "Hakim",
    "Syahputra",
    "Effendi",
    "Permana",
    "Firmansyah",
    "Ramadhan",
    "Utama",
    "Baskoro",
]
COMPANY_WORDS = [
    "Maju",
    "Jaya",
    "Sejahtera",
    "Makmur",
    "Abadi",
    "Sentosa",
    "Mandiri",
    "Nusantara",
    "Karya",
    "Bumi",
    "Samudra",
    "Cahaya",
    "Mulia",
    "Sinar",
    "Agung",
    "Berkah",
    "Lestari",
    "Prima",
    "Utama",
    "Indah",
    "Tunas",
    "Harapan",
    "Bangun",
    "Mitra",
    "Sumber",
    "Rejeki",
]
SECTORS = (
    ("manufacturing", 3), ("trade", 2), ("construction", 4), ("agriculture", 3), ("transport", 3),
    ("accommodation", 2), ("information", 1), ("finance", 1), ("mining", 5), ("health", 2), ("education", 1),
)  # fmt: skip
PU_OCCUPATIONS = (
    Occupation.EMPLOYEE, Occupation.FACTORY_WORKER, Occupation.CONSTRUCTION_WORKER, Occupation.DRIVER,
    Occupation.CLERK, Occupation.NURSE, Occupation.TEACHER,
)  # fmt: skip
BPU_OCCUPATIONS = tuple(sorted(VULNERABLE_OCCUPATIONS))
