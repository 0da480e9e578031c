package sync

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// Record IDs of record.set and record.delete operations are
// "<table>/<id>"; the table says which permission writing it takes.
var tablePerms = map[string]data.Perm{
	"office": data.PermOffices, "staff": data.PermOffices,
	"criterion": data.PermSettings, "programme": data.PermSettings, "rule": data.PermSettings,
	"setting": data.PermSettings, "style": data.PermSettings,
	"user": data.PermUsers, "ri": data.PermRI, "reminder": data.PermEditPeople,
	"attachment": data.PermEditPeople, "indicator": data.PermEditPeople,
}

// StepData is the Data of a referral.step operation: the procedure's
// action and what it carries (the referral itself for a proposal).
type StepData struct {
	Action data.Action     `json:"action"`
	Change json.RawMessage `json:"change,omitempty"`
	Extra  json.RawMessage `json:"referral,omitempty"`
}

// OpPerm is the permission the operation takes: the same table
// data.Store enforces for local writes, enforced again on ingest because
// every member of the share can write every file of the folder.
func OpPerm(op data.Op) (data.Perm, error) {
	switch op.Kind {
	case data.OpPersonSet, data.OpEventAdd:
		return data.PermEditPeople, nil
	case data.OpPersonErase:
		return data.PermErase, nil
	case data.OpPersonMerge, data.OpConflictResolve:
		return data.PermDecide, nil
	case data.OpBatchSkip:
		return data.PermUsers, nil // the administration's decision
	case data.OpReferralStep:
		var sd StepData
		if err := json.Unmarshal(op.Data, &sd); err != nil {
			return 0, fmt.Errorf("el paso %s no se puede leer: %w", op.ID, err)
		}
		switch sd.Action {
		case data.ActPropose:
			return data.PermPropose, nil
		case data.ActVerifyYes, data.ActVerifyNo:
			return data.PermVerify, nil
		case data.ActInclude, data.ActExclude, data.ActRoute, data.ActFollowUp, data.ActClose, data.ActReopen:
			return data.PermDecide, nil
		}
		return 0, fmt.Errorf("el paso %s tiene una acción desconocida («%s»)", op.ID, sd.Action)
	case data.OpRecordSet, data.OpRecordDelete:
		table, _, _ := strings.Cut(op.Record, "/")
		if p, ok := tablePerms[table]; ok {
			return p, nil
		}
		return 0, fmt.Errorf("la operación %s es de una tabla desconocida («%s»)", op.ID, table)
	}
	return 0, fmt.Errorf("la operación %s es de un tipo desconocido («%s»)", op.ID, op.Kind)
}
