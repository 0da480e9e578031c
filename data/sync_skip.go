package data

import (
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// SkipBatch records the administration's decision to skip the batch seq
// of device, which sync refused because its signer may not take one of
// its actions (what is the refusal, as the Sincronización panel words
// it). It is an operation (OpBatchSkip): every install that refused the
// batch takes it, without the refused actions, and goes on with that
// device's later batches once it arrives. The change log records it.
//
// It returns ErrForbidden unless the user is an administrator, and an
// error when this install does not sync.
func (s *Store) SkipBatch(device string, seq uint64, what string) error {
	if err := s.Allow(PermUsers); err != nil {
		return err
	}
	if device == "" || seq == 0 || strings.ContainsAny(device, "/") {
		return fmt.Errorf("omitir lote: lote no válido (%q, %d)", device, seq)
	}
	return s.update(func(tx *bolt.Tx) error {
		self := string(tx.Bucket(bucketMeta).Get([]byte(metaSyncDevice)))
		if self == "" {
			return fmt.Errorf("omitir lote: este equipo no sincroniza")
		}
		op, err := s.newOp(tx, self, s.User().Login, OpBatchSkip, fmt.Sprintf("%s/%d", device, seq), "")
		if err != nil {
			return err
		}
		op.Data, _ = json.Marshal(map[string]string{"refused": what})
		if err := putOutbox(tx, op); err != nil {
			return err
		}
		return s.appendAudit(tx, skipAudit(device, seq, what))
	})
}

// skipAudit is the change log's entry for a skipped batch, here or at
// another install.
func skipAudit(device string, seq uint64, what string) *AuditEntry {
	return &AuditEntry{Op: AuditSync, Kind: "lote rechazado", Record: fmt.Sprintf("%s/%d", device, seq),
		Detail: fmt.Sprintf("Lote %d del equipo «%s» omitido: se aplica sin las acciones rechazadas (%s) y se siguen recibiendo los lotes posteriores de ese equipo.", seq, device, what)}
}

// SkippedBatch is a batch skipped at another install, for the change
// log of this one.
type SkippedBatch struct {
	Device string
	Seq    uint64
	What   string // the refusal
	By     string // who decided it, where
}
