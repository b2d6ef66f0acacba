package momentum

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Uploads keeps campaign images on disk under generated names: a client-chosen file name never reaches
// the file system, and a file is removed again when the request that brought it fails.
type Uploads struct {
	dir string
}

// NewUploads stores files in dir, creating it if needed.
func NewUploads(dir string) (*Uploads, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create upload directory %s: %w", dir, err)
	}
	return &Uploads{dir: dir}, nil
}

// Dir is where files are kept.
func (u *Uploads) Dir() string { return u.dir }

// ErrNotAnImage is returned for uploads whose name, declared type or content is not JPEG, PNG or GIF.
//
//lint:ignore ST1005 the legacy client shows this text as it is.
var ErrNotAnImage = errors.New("Only image files are allowed (jpeg, jpg, png, gif)")

var imageExts = map[string]string{".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif"}

// SaveImage checks that r is a JPEG, PNG or GIF (by extension, declared type and content) and stores at
// most max bytes of it. It returns the generated file name.
func (u *Uploads) SaveImage(r io.Reader, origName, declaredType string, max int64) (string, error) {
	ext := strings.ToLower(filepath.Ext(origName))
	want, ok := imageExts[ext]
	if !ok || (declaredType != "" && declaredType != want && !(want == "image/jpeg" && declaredType == "image/jpg")) {
		return "", ErrNotAnImage
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read upload: %w", err)
	}
	head = head[:n]
	if http.DetectContentType(head) != want {
		return "", ErrNotAnImage
	}
	var rnd [12]byte
	_, _ = rand.Read(rnd[:])
	name := "dish-" + hex.EncodeToString(rnd[:]) + ext
	path := filepath.Join(u.dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return "", fmt.Errorf("create upload file: %w", err)
	}
	written, err := io.Copy(f, io.LimitReader(io.MultiReader(bytes.NewReader(head), r), max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && written > max {
		err = ErrFileTooLarge
	}
	if err != nil {
		_ = os.Remove(path)
		return "", err
	}
	return name, nil
}

// ErrFileTooLarge is returned when an upload exceeds its limit.
var ErrFileTooLarge = errors.New("file too large")

// Remove deletes a stored file; a missing file is not an error.
func (u *Uploads) Remove(name string) error {
	if name == "" || name != filepath.Base(name) {
		return nil
	}
	if err := os.Remove(filepath.Join(u.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove upload %s: %w", name, err)
	}
	return nil
}
