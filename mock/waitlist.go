package mock

import (
	"context"

	"backdesk"
)

var _ backdesk.WaitlistService = (*WaitlistService)(nil)

// WaitlistService mocks backdesk.WaitlistService.
type WaitlistService struct {
	CreateEntryFn  func(ctx context.Context, e *backdesk.WaitlistEntry) error
	FindEntriesFn  func(ctx context.Context) ([]*backdesk.WaitlistEntry, error)
	CancelEntryFn  func(ctx context.Context, id int64) error
	FindOffersFn   func(ctx context.Context) ([]*backdesk.WaitlistOffer, error)
	AcceptOfferFn  func(ctx context.Context, id int64) (*backdesk.Booking, error)
	DeclineOfferFn func(ctx context.Context, id int64) error
}

func (s *WaitlistService) CreateEntry(ctx context.Context, e *backdesk.WaitlistEntry) error {
	return s.CreateEntryFn(ctx, e)
}

func (s *WaitlistService) FindEntries(ctx context.Context) ([]*backdesk.WaitlistEntry, error) {
	return s.FindEntriesFn(ctx)
}

func (s *WaitlistService) CancelEntry(ctx context.Context, id int64) error {
	return s.CancelEntryFn(ctx, id)
}

func (s *WaitlistService) FindOffers(ctx context.Context) ([]*backdesk.WaitlistOffer, error) {
	return s.FindOffersFn(ctx)
}

func (s *WaitlistService) AcceptOffer(ctx context.Context, id int64) (*backdesk.Booking, error) {
	return s.AcceptOfferFn(ctx, id)
}

func (s *WaitlistService) DeclineOffer(ctx context.Context, id int64) error {
	return s.DeclineOfferFn(ctx, id)
}

var _ backdesk.WaitlistStore = (*WaitlistStore)(nil)

// WaitlistStore mocks backdesk.WaitlistStore.
type WaitlistStore struct {
	InsertWaitlistEntryFn    func(ctx context.Context, e *backdesk.WaitlistEntry) error
	FindWaitlistEntryByIDFn  func(ctx context.Context, id int64) (*backdesk.WaitlistEntry, error)
	FindWaitlistEntriesFn    func(ctx context.Context, patientID int64, waitingOnly bool) ([]*backdesk.WaitlistEntry, error)
	SetWaitlistEntryStatusFn func(ctx context.Context, id int64, status string) error
	InsertWaitlistOffersFn   func(ctx context.Context, offers []*backdesk.WaitlistOffer, msgs []*backdesk.OutboxMessage) error
	FindWaitlistOfferByIDFn  func(ctx context.Context, id int64) (*backdesk.WaitlistOffer, error)
	FindWaitlistOffersFn     func(ctx context.Context, patientID int64, openOnly bool) ([]*backdesk.WaitlistOffer, error)
	CloseWaitlistOfferFn     func(ctx context.Context, id int64, status string, bookingID int64) error
}

func (s *WaitlistStore) InsertWaitlistEntry(ctx context.Context, e *backdesk.WaitlistEntry) error {
	return s.InsertWaitlistEntryFn(ctx, e)
}

func (s *WaitlistStore) FindWaitlistEntryByID(ctx context.Context, id int64) (*backdesk.WaitlistEntry, error) {
	return s.FindWaitlistEntryByIDFn(ctx, id)
}

func (s *WaitlistStore) FindWaitlistEntries(ctx context.Context, patientID int64, waitingOnly bool) ([]*backdesk.WaitlistEntry, error) {
	return s.FindWaitlistEntriesFn(ctx, patientID, waitingOnly)
}

func (s *WaitlistStore) SetWaitlistEntryStatus(ctx context.Context, id int64, status string) error {
	return s.SetWaitlistEntryStatusFn(ctx, id, status)
}

func (s *WaitlistStore) InsertWaitlistOffers(ctx context.Context, offers []*backdesk.WaitlistOffer, msgs []*backdesk.OutboxMessage) error {
	return s.InsertWaitlistOffersFn(ctx, offers, msgs)
}

func (s *WaitlistStore) FindWaitlistOfferByID(ctx context.Context, id int64) (*backdesk.WaitlistOffer, error) {
	return s.FindWaitlistOfferByIDFn(ctx, id)
}

func (s *WaitlistStore) FindWaitlistOffers(ctx context.Context, patientID int64, openOnly bool) ([]*backdesk.WaitlistOffer, error) {
	return s.FindWaitlistOffersFn(ctx, patientID, openOnly)
}

func (s *WaitlistStore) CloseWaitlistOffer(ctx context.Context, id int64, status string, bookingID int64) error {
	return s.CloseWaitlistOfferFn(ctx, id, status, bookingID)
}
