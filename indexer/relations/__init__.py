"""Documents in relation: period and validity, "Căn cứ" links, replacements, newer
documents on the same subject, cross-references and renamed agencies.

* :mod:`.validity`: period ("giai đoạn 2023 - 2025"), effective date, "thay thế" / "hết hiệu lực";
* :mod:`.basis`: the "Căn cứ" / "Thực hiện" list as :class:`CitedDocument` records;
* :mod:`.sidecar`: an administrator's ``ten_tep.meta.json`` overrides;
* :mod:`.graph`: :func:`build_relations`, the status and links of every indexed document;
* :mod:`.crossref`: "Điều 5 của Luật này", "khoản 2 Điều này", "Phụ lục I" -> passages;
* :mod:`.renames`: the table of renamed and merged agencies.
"""
from __future__ import annotations

from indexer.relations.basis import CitedDocument, cited_documents
from indexer.relations.graph import STATUS_VI, DocumentRelations, Link, build_relations, notice
from indexer.relations.renames import RenamedBody, load_renames, name_pairs, renamed_in
from indexer.relations.sidecar import SidecarError, parse_sidecar, sidecar_path, write_sidecar
from indexer.relations.validity import ExplicitRelation, Period, explicit_relations, extract_effective, extract_period

__all__ = [
    "STATUS_VI",
    "CitedDocument",
    "DocumentRelations",
    "ExplicitRelation",
    "Link",
    "Period",
    "RenamedBody",
    "SidecarError",
    "build_relations",
    "cited_documents",
    "explicit_relations",
    "extract_effective",
    "extract_period",
    "load_renames",
    "name_pairs",
    "notice",
    "parse_sidecar",
    "renamed_in",
    "sidecar_path",
    "write_sidecar",
]
