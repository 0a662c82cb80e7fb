"""Word-segmentation time: a whole corpus (index side) and short questions (query side).

    .venv/bin/python benchmarks/bench_segment.py --beir /work/shared/eval/alqac22

Measures ``indexer.text.word_tokens_batch`` on every passage text of a BEIR
corpus (after a warm-up that loads the model), and ``word_tokens`` per question
on the short questions below (written for this benchmark, not taken from any
evaluation set), reporting p50/p95. The model load time is reported apart.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import _common  # noqa: F401 - puts the repository root on sys.path

QUESTIONS = [
    "Thủ tục đăng ký kết hôn gồm những giấy tờ gì?",
    "Người lao động được nghỉ phép năm bao nhiêu ngày?",
    "Mức phạt khi không đội mũ bảo hiểm là bao nhiêu?",
    "Ai có thẩm quyền cấp giấy chứng nhận quyền sử dụng đất?",
    "Điều kiện để được hưởng trợ cấp thất nghiệp là gì?",
    "Thời hạn giải quyết khiếu nại lần đầu là bao lâu?",
    "Tuổi nghỉ hưu của người lao động nữ năm 2025 là bao nhiêu?",
    "Hồ sơ xin cấp hộ chiếu phổ thông gồm những gì?",
    "Doanh nghiệp phải nộp báo cáo tài chính khi nào?",
    "Cha mẹ có nghĩa vụ gì đối với con chưa thành niên?",
    "Quyền thừa kế của con nuôi được quy định thế nào?",
    "Hợp đồng mua bán nhà ở có phải công chứng không?",
    "Thủ tục ly hôn đơn phương được thực hiện ra sao?",
    "Người nước ngoài có được mua nhà ở tại Việt Nam không?",
    "Mức đóng bảo hiểm xã hội bắt buộc là bao nhiêu phần trăm?",
    "Kế hoạch 225/KH-UBND về hạ tầng số có mục tiêu gì?",
    "UBND tỉnh Thanh Hóa giao Sở nào chủ trì chuyển đổi số?",
    "Tỷ lệ hộ gia đình có cáp quang đến năm 2025 là bao nhiêu?",
    "Phủ sóng 5G tại các khu công nghiệp khi nào hoàn thành?",
    "Nghị định 13/2023/NĐ-CP quy định về vấn đề gì?",
    "Xử phạt hành vi xả rác nơi công cộng như thế nào?",
    "Thời hiệu khởi kiện vụ án dân sự là bao lâu?",
    "Pháp nhân thương mại phải chịu trách nhiệm hình sự trong trường hợp nào?",
    "Người chưa đủ 18 tuổi có được lập di chúc không?",
    "Giấy phép lái xe hạng B2 có thời hạn bao lâu?",
    "Thủ tục đăng ký thường trú cần giấy tờ gì?",
    "Trường hợp nào được miễn thuế thu nhập cá nhân?",
    "Thẩm quyền xử phạt của Chủ tịch UBND cấp xã là gì?",
    "Quy định về thời giờ làm thêm tối đa trong năm?",
    "Người sử dụng lao động đơn phương chấm dứt hợp đồng khi nào?",
    "Điều kiện thành lập công ty trách nhiệm hữu hạn?",
    "Tài sản chung của vợ chồng gồm những gì?",
    "Ai là người giám hộ đương nhiên của người mất năng lực hành vi?",
    "Chế độ thai sản đối với lao động nam như thế nào?",
    "Bồi thường thiệt hại do tài sản gây ra được quy định ra sao?",
    "Thời hạn sử dụng đất nông nghiệp là bao nhiêu năm?",
    "Cơ quan nào quản lý nhà nước về an toàn thông tin mạng?",
    "Hành vi nào bị nghiêm cấm trong hoạt động báo chí?",
    "Học sinh tiểu học được miễn học phí không?",
    "Quyền khiếu nại quyết định hành chính của công dân?",
    "Mức lương tối thiểu vùng I hiện nay là bao nhiêu?",
    "Thủ tục cấp lại căn cước công dân bị mất?",
    "Bao nhiêu tuổi thì được đăng ký kết hôn?",
    "Hộ kinh doanh có phải đăng ký thuế không?",
    "Xây dựng nhà ở nông thôn có cần giấy phép không?",
    "Điều kiện hưởng lương hưu hằng tháng là gì?",
    "Chuyển nhượng quyền sử dụng đất phải nộp những loại thuế nào?",
    "Trách nhiệm của Sở Thông tin và Truyền thông trong kế hoạch?",
    "Người bị tạm giữ có quyền gì?",
    "Thời gian thử việc tối đa đối với công việc có chuyên môn kỹ thuật cao?",
]


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beir", type=Path, required=True, help="BEIR folder with corpus.jsonl")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the questions")
    args = parser.parse_args()

    from indexer import text as vtext

    corpus = args.beir / "corpus.jsonl"
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8") if line.strip()]

    t = time.perf_counter()
    vtext.word_tokens("khởi động")
    load_s = time.perf_counter() - t

    t = time.perf_counter()
    vtext.word_tokens_batch(texts)
    corpus_s = time.perf_counter() - t

    times: list[float] = []
    for _ in range(args.repeat):
        for q in QUESTIONS:
            t = time.perf_counter()
            vtext.word_tokens(q)
            times.append((time.perf_counter() - t) * 1000)
    print(f"model load            {load_s:.2f} s")
    print(f"corpus ({len(texts)} passages, {sum(map(len, texts)) / 1e6:.2f} M chars)  {corpus_s:.2f} s")
    print(f"question p50 / p95    {statistics.median(times):.2f} / {_percentile(times, 0.95):.2f} ms")


if __name__ == "__main__":
    main()
