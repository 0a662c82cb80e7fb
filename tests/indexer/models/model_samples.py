"""Real Vietnamese sentences, passages and questions shared by the tests of :mod:`indexer.models`."""
from __future__ import annotations

# Administrative-style Vietnamese as it appears in plans, decisions and codes.
SENTENCES = [
    "UBND tỉnh Thanh Hoá vừa ban hành Kế hoạch số 225/KH-UBND về phát triển hạ tầng số giai đoạn 2023 – 2025.",
    "Mục tiêu đến năm 2025, Thanh Hóa nằm trong nhóm 10 tỉnh dẫn đầu cả nước về chuyển đổi số.",
    "Nâng cao chất lượng mạng 4G, từng bước triển khai mạng 5G tại các khu công nghiệp và khu đô thị.",
    "Phổ cập Internet băng rộng cố định đến hộ gia đình, đặc biệt là khu vực miền núi, vùng sâu, vùng xa.",
    "100% dịch vụ trung tâm dữ liệu (thuê chỗ đặt máy chủ, thuê máy chủ, thuê lưu trữ) được chuyển sang điện toán đám mây.",
    "Hạ tầng điện toán đám mây, hạ tầng IoT được tích hợp, ứng dụng rộng khắp trong các lĩnh vực của nền kinh tế số.",
    "Công nghệ trí tuệ nhân tạo (công nghệ AI), công nghệ chuỗi khối (blockchain) hỗ trợ hiệu quả chương trình chuyển đổi số tỉnh.",
    "Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ban, ngành tổ chức triển khai thực hiện Kế hoạch này.",
    "Các doanh nghiệp viễn thông đầu tư xây dựng trạm thu phát sóng, bảo đảm phủ sóng di động tới 100% thôn, bản.",
    "Kinh phí thực hiện được bố trí từ ngân sách nhà nước, nguồn vốn xã hội hóa và các nguồn hợp pháp khác.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị báo cáo về Sở Thông tin và Truyền thông để tổng hợp.",
    "Xây dựng trung tâm giám sát, điều hành an toàn, an ninh mạng (SOC) kết nối với hệ thống của Bộ Thông tin và Truyền thông.",
    "Bảo đảm an toàn thông tin mạng theo mô hình bốn lớp cho các hệ thống thông tin của cơ quan nhà nước.",
    "Phát triển nền tảng số có tính chất hạ tầng phục vụ chính quyền số, kinh tế số và xã hội số.",
    "Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình, tỷ lệ hồ sơ giải quyết trực tuyến đạt trên 80%.",
    "Cơ sở dữ liệu dùng chung của tỉnh được kết nối, chia sẻ với cơ sở dữ liệu quốc gia về dân cư.",
    "Ủy ban nhân dân các huyện, thị xã, thành phố chỉ đạo rà soát quy hoạch, dành quỹ đất cho hạ tầng viễn thông thụ động.",
    "Khuyến khích sử dụng chung cơ sở hạ tầng kỹ thuật liên ngành như cột điện, cống bể cáp, đường giao thông.",
    "Ngầm hóa mạng cáp viễn thông tại các tuyến phố chính của thành phố Thanh Hóa và thị xã Sầm Sơn.",
    "Bộ luật Dân sự quy định địa vị pháp lý, chuẩn mực pháp lý về cách ứng xử của cá nhân, pháp nhân.",
    "Cá nhân, pháp nhân xác lập, thực hiện, chấm dứt quyền, nghĩa vụ dân sự của mình trên cơ sở tự do, tự nguyện cam kết, thỏa thuận.",
    "Người thừa kế có quyền từ chối nhận di sản, trừ trường hợp việc từ chối nhằm trốn tránh nghĩa vụ tài sản của mình.",
    "Hợp đồng vô hiệu không làm phát sinh, thay đổi, chấm dứt quyền, nghĩa vụ dân sự của các bên kể từ thời điểm giao kết.",
    "Thời hiệu khởi kiện yêu cầu chia di sản là 30 năm đối với bất động sản, 10 năm đối với động sản, kể từ thời điểm mở thừa kế.",
    "Số giờ làm thêm của người lao động không quá 40 giờ trong 01 tháng và không quá 200 giờ trong 01 năm.",
    "Luật An ninh mạng quy định về hoạt động bảo vệ an ninh quốc gia và bảo đảm trật tự, an toàn xã hội trên không gian mạng.",
    "Nghiêm cấm sử dụng không gian mạng để tuyên truyền, xuyên tạc, gây ảnh hưởng đến an ninh quốc gia.",
    "Quyết định này có hiệu lực kể từ ngày ký; Chánh Văn phòng UBND tỉnh, Giám đốc các sở chịu trách nhiệm thi hành.",
    "Đào tạo, bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức và người dân, nhất là đồng bào dân tộc thiểu số.",
    "Ông Đỗ Hữu Quyết, Giám đốc Sở Thông tin và Truyền thông cho biết: “Tập trung xây dựng nền tảng số, dữ liệu số…”.",
    "Tổng số trạm BTS trên địa bàn tỉnh đạt 5.200 trạm, tốc độ truy cập Internet di động bình quân trên 40 Mbps.",
    "Thanh Hoá phấn đấu đến năm 2030 hoàn thành xây dựng chính quyền số, đô thị thông minh tại các trung tâm hành chính.",
]

# Retrieval check: each query has exactly one right passage.
PASSAGES = [
    "Nâng cao chất lượng mạng 4G, từng bước triển khai mạng 5G tại các khu công nghiệp, khu đô thị của tỉnh Thanh Hóa.",
    "100% dịch vụ trung tâm dữ liệu (thuê chỗ đặt máy chủ, thuê máy chủ, thuê lưu trữ) được chuyển sang dịch vụ điện toán đám mây.",
    "Bộ luật Dân sự năm 2015 quy định địa vị pháp lý, chuẩn mực pháp lý về cách ứng xử của cá nhân, pháp nhân; "
    "quyền, nghĩa vụ về nhân thân và tài sản.",
    "Số giờ làm thêm của người lao động không quá 40 giờ trong 01 tháng và không quá 200 giờ trong 01 năm.",
    "Luật An ninh mạng quy định về hoạt động bảo vệ an ninh quốc gia và bảo đảm trật tự, an toàn xã hội trên không gian mạng.",
    "Phổ cập Internet băng rộng cố định đến các hộ gia đình ở khu vực miền núi, vùng sâu, vùng xa.",
    "Kinh phí thực hiện kế hoạch được bố trí từ ngân sách nhà nước, nguồn vốn xã hội hóa và các nguồn hợp pháp khác.",
    "Người thừa kế có quyền từ chối nhận di sản, trừ trường hợp việc từ chối nhằm trốn tránh việc thực hiện "
    "nghĩa vụ tài sản của mình đối với người khác.",
]
QUERIES = {
    "Kế hoạch triển khai mạng 5G ở Thanh Hoá như thế nào?": 0,
    "Dịch vụ thuê máy chủ có được chuyển lên điện toán đám mây không?": 1,
    "Người lao động được làm thêm tối đa bao nhiêu giờ một năm?": 3,
    "Có được từ chối nhận di sản thừa kế không?": 7,
    "Nguồn kinh phí thực hiện kế hoạch lấy từ đâu?": 6,
    "Luật nào quy định việc bảo vệ an ninh quốc gia trên không gian mạng?": 4,
}

# Whitespace, punctuation and scripts where tokenizers commonly disagree.
TOKENIZER_EDGE_CASES = [
    "",
    " ",
    "Thanh Hoá  và   Thanh Hóa ",
    "  khoảng trắng ở đầu",
    "dòng một\ndòng hai\tcột",
    "Điều 1.\r\n\r\nPhạm vi điều chỉnh…",
    "“Trích dẫn” – gạch ngang — và ‘nháy đơn’",
    "ＵＢＮＤ tỉnh (chữ toàn độ rộng) ① ② ³",
    "5G/4G, 100%, 2023–2025, 15/9/2023, 1.000.000 đồng",
    "中华人民共和国 và 대한민국 và Россия 😀",
    "e-mail: so.tttt@thanhhoa.gov.vn; https://thanhhoa.gov.vn/",
]
