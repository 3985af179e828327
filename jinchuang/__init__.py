"""晋创通 JinChuang."""
