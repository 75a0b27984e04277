"""Every business write of segments, one service per button, by topic.

`log` holds the Log transaction; `steps` Add/Reduce/Refine/Go Back; `edit_lines`
the workbench's Edit Lines step; `criteria`
saved criteria; `segments` the header and lines; `from_criteria` a new segment
from the filtered contact list; `delivery` what follows sending (Mark as
Printed, Resend).
"""

from segmentation.services.criteria import (
    clear_criteria,
    delete_saved_criteria,
    preview_reuse_criteria,
    rename_saved_criteria,
    reuse_criteria,
    save_criteria,
)
from segmentation.services.delivery import mark_printed, resend_failed
from segmentation.services.edit_lines import edit_lines
from segmentation.services.from_criteria import create_segment_from_criteria
from segmentation.services.log import (
    AlreadyLogged,
    StaleConfirmation,
    create_follow_up_segment,
    log_segment,
)
from segmentation.services.segments import (
    delete_segment,
    personalise_line,
    save_segment,
    update_line,
)
from segmentation.services.steps import (
    add_contacts,
    add_contacts_by_hand,
    go_back,
    reduce_contacts,
    refine_contacts,
    remove_lines,
    reuse_segment,
)

__all__ = [
    "AlreadyLogged",
    "StaleConfirmation",
    "add_contacts",
    "add_contacts_by_hand",
    "clear_criteria",
    "create_follow_up_segment",
    "create_segment_from_criteria",
    "delete_saved_criteria",
    "delete_segment",
    "edit_lines",
    "go_back",
    "log_segment",
    "mark_printed",
    "personalise_line",
    "reduce_contacts",
    "refine_contacts",
    "remove_lines",
    "rename_saved_criteria",
    "resend_failed",
    "preview_reuse_criteria",
    "reuse_criteria",
    "reuse_segment",
    "save_criteria",
    "save_segment",
    "update_line",
]
