package backup

// The throughput of each stage of a backup on its own, one core, on both
// benchmark databases held in memory: what bounds the whole from below
// (docs/PERFORMANCE.md).
//
//	go test ./data/backup/ -run '^$' -bench Stages -benchtime 1x

import (
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"testing"

	"filippo.io/age"
	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// byteCounter counts what is written to it.
type byteCounter int64

func (c *byteCounter) Write(p []byte) (int, error) { *c += byteCounter(len(p)); return len(p), nil }

func BenchmarkStages(b *testing.B) {
	for _, fx := range []struct {
		name string
		path func(*testing.B) string
	}{{"values=plain", benchFixture}, {"values=random", randomFixture}} {
		var file []byte
		load := func(b *testing.B) []byte {
			if file == nil {
				var err error
				if file, err = os.ReadFile(fx.path(b)); err != nil {
					b.Fatal(err)
				}
			}
			return file
		}
		for _, st := range stages() {
			b.Run(fx.name+"/"+st.name, func(b *testing.B) {
				in := load(b)
				b.SetBytes(int64(len(in)))
				b.ResetTimer()
				var out byteCounter
				for i := 0; i < b.N; i++ {
					out = 0
					w := st.open(&out)
					if _, err := w.Write(in); err != nil {
						b.Fatal(err)
					}
					if err := w.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(out)/float64(len(in)), "out/in")
			})
		}
	}
}

type stage struct {
	name string
	open func(io.Writer) io.WriteCloser
}

func stages() []stage {
	zs := func(opts ...zstd.EOption) func(io.Writer) io.WriteCloser {
		return func(w io.Writer) io.WriteCloser {
			z, err := zstd.NewWriter(w, opts...)
			if err != nil {
				panic(err)
			}
			return z
		}
	}
	return []stage{
		{"sha256", func(io.Writer) io.WriteCloser { return hashCloser{sha256.New()} }},
		{"age", func(w io.Writer) io.WriteCloser {
			r, _ := age.NewScryptRecipient(testPassphrase)
			r.SetWorkFactor(10)
			a, err := age.Encrypt(w, r)
			if err != nil {
				panic(err)
			}
			return a
		}},
		{"zstd-as-used-1core", zs(zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithWindowSize(compressWindow),
			zstd.WithNoEntropyCompression(true), zstd.WithEncoderConcurrency(1))},
		{"zstd-as-used", func(w io.Writer) io.WriteCloser {
			z, err := newCompressor(w)
			if err != nil {
				panic(err)
			}
			return z
		}},
		{"zstd-as-used-with-entropy", zs(zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithWindowSize(compressWindow),
			zstd.WithConcurrentBlocks(true))},
		{"zstd-fastest-4MiB-window", zs(zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithConcurrentBlocks(true))},
		{"zstd-default-1core", zs(zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))},
		{"kgzip-bestspeed-1core", func(w io.Writer) io.WriteCloser {
			z, _ := kgzip.NewWriterLevel(w, kgzip.BestSpeed)
			return z
		}},
		{"gzip-bestspeed-1core", func(w io.Writer) io.WriteCloser {
			z, _ := gzip.NewWriterLevel(w, gzip.BestSpeed) // what the old code ran on each core
			return z
		}},
	}
}

type hashCloser struct{ io.Writer }

func (hashCloser) Close() error { return nil }

// BenchmarkScrypt derives a backup key at the default cost: a fixed cost
// of every backup, on one core, whatever the database's size. "cold"
// first returns the heap's free memory to the system, as it is by the
// time of a daily backup: scrypt's 256 MiB are then new pages, which the
// kernel has to fault in and zero.
func BenchmarkScrypt(b *testing.B) {
	for _, cold := range []bool{false, true} {
		b.Run(fmt.Sprintf("cold=%v", cold), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if cold {
					b.StopTimer()
					debug.FreeOSMemory()
					b.StartTimer()
				}
				r, err := age.NewScryptRecipient(testPassphrase)
				if err != nil {
					b.Fatal(err)
				}
				r.SetWorkFactor(DefaultWorkFactor)
				if _, err := age.Encrypt(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
