"""/quan-tri/ names every app and model in Vietnamese, the libraries' included."""


def test_admin_index_is_vietnamese(cast, login):
    page = login(cast["admin"]).get("/quan-tri/").content.decode()
    for heading in ("Tài khoản", "Tổ chức, đơn vị", "Chống dò mật khẩu", "Lần đăng nhập sai", "Việc chạy nền"):
        assert heading in page
    for english in ("Access attempts", "Tasks Database Backend", "Task results", ">Accounts<", ">Org<"):
        assert english.lower() not in page.lower()
