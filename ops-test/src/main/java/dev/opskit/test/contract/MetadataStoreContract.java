package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoreException;
import org.apiguardian.api.API;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MetadataStore} must meet, as an abstract JUnit 5 suite. opskit runs it against its
 * in-memory, H2 and PostgreSQL stores; a third party writing its own store subclasses it:
 *
 * <pre>{@code
 * class MyStoreContractTest extends MetadataStoreContract {
 *   @Override
 *   protected MetadataStore createStore() {
 *     return new MyStore(...);
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh store from {@link #createStore()} and closes it afterwards.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public abstract class MetadataStoreContract {
  /** The store under test, fresh for each test. */
  protected MetadataStore store;

  /** Creates the contract; subclasses supply the store. */
  protected MetadataStoreContract() {}

  /**
   * Creates an empty store for one test.
   *
   * @return the store
   */
  protected abstract MetadataStore createStore();

  /** Opens the store under test. */
  @BeforeEach
  void openStore() {
    store = createStore();
  }

  /** Closes the store under test. */
  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // Records and transactions (see MetadataRecordChecks)

  @Test
  void aRecordRoundTripsWithItsBodyAndEveryKindOfAttribute() {
    records().aRecordRoundTripsWithItsBodyAndEveryKindOfAttribute();
  }

  @Test
  void aMissingRecordIsEmptyAndRequireNamesIt() {
    records().aMissingRecordIsEmptyAndRequireNamesIt();
  }

  @Test
  void insertingAnExistingKeyIsAConflictNamingTheRecord() {
    records().insertingAnExistingKeyIsAConflictNamingTheRecord();
  }

  @Test
  void aConflictDoomsItsTransactionEvenIfTheWorkCatchesIt() {
    records().aConflictDoomsItsTransactionEvenIfTheWorkCatchesIt();
  }

  @Test
  void anUpdateNamesTheVersionItReadAndBumpsIt() {
    records().anUpdateNamesTheVersionItReadAndBumpsIt();
  }

  @Test
  void anUpdateKeepsChangesAndDropsExactlyTheAttributesItNamesAndOmits() {
    records().anUpdateKeepsChangesAndDropsExactlyTheAttributesItNamesAndOmits();
  }

  @Test
  void aStaleUpdateIsAConflictAndWritesNothing() {
    records().aStaleUpdateIsAConflictAndWritesNothing();
  }

  @Test
  void deletesAreVersionedToo() {
    records().deletesAreVersionedToo();
  }

  @Test
  void aTransactionThatThrowsLeavesNoTrace() {
    records().aTransactionThatThrowsLeavesNoTrace();
  }

  @Test
  void severalRecordsChangeTogetherInOneTransaction() {
    records().severalRecordsChangeTogetherInOneTransaction();
  }

  @Test
  void aTransactionSeesItsOwnWrites() {
    records().aTransactionSeesItsOwnWrites();
  }

  @Test
  void aTransactionCannotBeUsedAfterItEnded() {
    records().aTransactionCannotBeUsedAfterItEnded();
  }

  // Filters (see MetadataFilterChecks)

  @Test
  void filtersCompareWithinAKindOfValue() {
    filters().filtersCompareWithinAKindOfValue();
  }

  @Test
  void distinctFromKeepsRecordsWithoutTheAttributeOrWithAnotherValueInAnyOrder() {
    filters().distinctFromKeepsRecordsWithoutTheAttributeOrWithAnotherValueInAnyOrder();
  }

  @Test
  void prefixFiltersTreatLikeWildcardsLiterally() {
    filters().prefixFiltersTreatLikeWildcardsLiterally();
  }

  @Test
  void likeAndIlikeMatchTheWholeValueWithPercentAndUnderscoreOnly() {
    filters().likeAndIlikeMatchTheWholeValueWithPercentAndUnderscoreOnly();
  }

  @Test
  void aSelectiveFilterAfterUnselectiveOnesFindsEveryMatchInOrder() {
    filters().aSelectiveFilterAfterUnselectiveOnesFindsEveryMatchInOrder();
  }

  // Strings longer than the indexed part (see MetadataLongStringChecks)

  @Test
  void longStringsRoundTripWholeAndEveryFilterComparesThemWhole() {
    longStrings().longStringsRoundTripWholeAndEveryFilterComparesThemWhole();
  }

  @Test
  void longStringsAreOrderedByTheirIndexedPartWithTiesByKeyOrFurtherKeysAtEveryOffset() {
    longStrings().longStringsAreOrderedByTheirIndexedPartWithTiesByKeyOrFurtherKeysAtEveryOffset();
  }

  // Orders and pages (see MetadataOrderChecks)

  @Test
  void resultsAreOrderedWithMissingValuesLastAndTiesByKey() {
    orders().resultsAreOrderedWithMissingValuesLastAndTiesByKey();
  }

  @Test
  void furtherKeysOrderTheTiesOfTheKeysBeforeThemEachInItsDirectionAtEveryOffset() {
    orders().furtherKeysOrderTheTiesOfTheKeysBeforeThemEachInItsDirectionAtEveryOffset();
  }

  @Test
  void orderedPagesFollowNumbersThenStringsThenMissingAtEveryOffset() {
    orders().orderedPagesFollowNumbersThenStringsThenMissingAtEveryOffset();
  }

  @Test
  void pagesCoverEveryMatchExactlyOnce() {
    orders().pagesCoverEveryMatchExactlyOnce();
  }

  @Test
  void aKeyPrefixIsARangeOfKeysInEitherDirectionWithFiltersOrdersAndPages() {
    orders().aKeyPrefixIsARangeOfKeysInEitherDirectionWithFiltersOrdersAndPages();
  }

  @Test
  void bodiesOnlyQueriesFindTheSameRecordsInTheSameOrderAndPages() {
    orders().bodiesOnlyQueriesFindTheSameRecordsInTheSameOrderAndPages();
  }

  // Counters and concurrent writers (see MetadataConcurrencyChecks)

  @Test
  void countersCountFromOneAndARollbackGivesTheValueBack() {
    concurrency().countersCountFromOneAndARollbackGivesTheValueBack();
  }

  @Test
  void concurrentIncrementsNeverRepeatOrSkip() throws Exception {
    concurrency().concurrentIncrementsNeverRepeatOrSkip();
  }

  @Test
  void concurrentConflictingUpdatesLoseNothingAndReportEveryConflict() throws Exception {
    concurrency().concurrentConflictingUpdatesLoseNothingAndReportEveryConflict();
  }

  @Test
  void concurrentInsertsOfOneKeyLetExactlyOneWin() throws Exception {
    concurrency().concurrentInsertsOfOneKeyLetExactlyOneWin();
  }

  // Values a record may hold (see MetadataValueChecks)

  @Test
  void hostileBodiesAndKeysRoundTripExactly() {
    values().hostileBodiesAndKeysRoundTripExactly();
  }

  @Test
  void valuesOutsideTheDocumentedRulesAreRejectedNamingTheRule() {
    values().valuesOutsideTheDocumentedRulesAreRejectedNamingTheRule();
  }

  @Test
  void nulInABodyAndUnpairedSurrogatesAreRefusedTheSameWayByEveryStore() {
    values().nulInABodyAndUnpairedSurrogatesAreRefusedTheSameWayByEveryStore();
  }

  @Test
  void aClosedStoreRefusesWork() {
    store.close();
    assertThatThrownBy(() -> store.transact(tx -> tx.get("thing", "k"))).isInstanceOf(StoreException.class);
    store.close();
  }

  @Test
  void describeSaysWhatTheStoreIs() {
    assertThat(store.describe()).isNotBlank();
  }

  private MetadataRecordChecks records() {
    return new MetadataRecordChecks(store);
  }

  private MetadataFilterChecks filters() {
    return new MetadataFilterChecks(store);
  }

  private MetadataLongStringChecks longStrings() {
    return new MetadataLongStringChecks(store);
  }

  private MetadataOrderChecks orders() {
    return new MetadataOrderChecks(store);
  }

  private MetadataConcurrencyChecks concurrency() {
    return new MetadataConcurrencyChecks(store);
  }

  private MetadataValueChecks values() {
    return new MetadataValueChecks(store);
  }
}
